/**
 * URL normalization and host matching against a table of awkward inputs, with
 * a small in-test catalog so the expectations do not move when policies/ does.
 * Where the WHATWG parser makes the call (IDN folding, %-decoding in hosts,
 * IPv4 shorthand) the row records what the parser does, because that is what
 * the browser navigates to.
 */
import { describe, expect, it } from 'vitest';
import { HostIndex } from '../../src/core/host-index';
import { MAX_URL_LENGTH, normalizeUrl } from '../../src/core/url';
import type { Service } from '../../src/core/policy-schema';

const svc = (id: string, hosts: [string, 'domain' | 'exact'][]): Pick<Service, 'id' | 'hosts'> => ({
  id,
  hosts: hosts.map(([host, match]) => ({ host, match, source: 'test' })),
});
const CATALOG = [
  svc('deepseek', [['deepseek.com', 'domain']]),
  svc('chatgpt', [['chatgpt.com', 'domain'], ['chat.openai.com', 'exact']]),
  svc('gemini', [['gemini.google.com', 'exact']]),
  svc('claude', [['claude.ai', 'domain']]),
];
const index = new HostIndex(CATALOG);

interface Row {
  label?: string;
  input: unknown;
  /** Normalized host, or null when normalizeUrl must refuse the input. */
  host: string | null;
  /** [serviceId, catalog host] the lookup must return, or null for no match. */
  match: [string, string] | null;
}

const DS: [string, string] = ['deepseek', 'deepseek.com'];
const GPT: [string, string] = ['chatgpt', 'chatgpt.com'];
const OPENAI: [string, string] = ['chatgpt', 'chat.openai.com'];
const GEMINI: [string, string] = ['gemini', 'gemini.google.com'];
const CLAUDE: [string, string] = ['claude', 'claude.ai'];
const CHAT = 'chat.deepseek.com';

const row = (input: unknown, host: string | null, match: [string, string] | null = null, label?: string): Row =>
  ({ input, host, match, label });
const refused = (input: unknown, label?: string): Row => row(input, null, null, label);

const ROWS: Row[] = [
  // ── plain matches, subdomains of `domain` entries ──
  row('https://chat.deepseek.com/', CHAT, DS),
  row('https://deepseek.com', 'deepseek.com', DS),
  row('https://www.deepseek.com/en', 'www.deepseek.com', DS),
  row('https://api.deepseek.com/v1/chat/completions', 'api.deepseek.com', DS),
  row('https://a.b.c.deepseek.com/', 'a.b.c.deepseek.com', DS),
  row('http://chat.deepseek.com/', CHAT, DS),
  row('https://chatgpt.com/c/123', 'chatgpt.com', GPT),
  row('https://ab.chatgpt.com/', 'ab.chatgpt.com', GPT),
  row('https://chat.openai.com/', 'chat.openai.com', OPENAI),
  row('https://gemini.google.com/app', 'gemini.google.com', GEMINI),
  row('https://claude.ai/new', 'claude.ai', CLAUDE),
  row('https://www.claude.ai', 'www.claude.ai', CLAUDE),
  // ── letter case ──
  row('HTTPS://CHAT.DEEPSEEK.COM', CHAT, DS),
  row('https://Chat.DeepSeek.Com/Path', CHAT, DS),
  row('https://CHAT.OPENAI.COM/', 'chat.openai.com', OPENAI),
  row('https://GEMINI.google.com./', 'gemini.google.com', GEMINI),
  row('HtTpS://ClAuDe.Ai', 'claude.ai', CLAUDE),
  // ── trailing dots ──
  row('https://chat.deepseek.com./', CHAT, DS),
  row('https://deepseek.com.', 'deepseek.com', DS),
  row('https://chat.openai.com./', 'chat.openai.com', OPENAI),
  refused('https://deepseek.com../', 'two trailing dots: empty label'),
  refused('https://./', 'host is only a dot'),
  refused('https://../'),
  // ── ports ──
  row('https://chat.deepseek.com:443/', CHAT, DS),
  row('http://chat.deepseek.com:8080/', CHAT, DS),
  row('https://chatgpt.com:8443/x', 'chatgpt.com', GPT),
  row('ws://chat.deepseek.com:80/', CHAT, DS),
  row('https://chat.deepseek.com:/', CHAT, DS, 'empty port'),
  row('https://CHAT.DEEPSEEK.COM:0443/', CHAT, DS, 'leading-zero default port'),
  refused('https://chat.deepseek.com:99999/', 'port out of range'),
  refused('https://chat.deepseek.com:443:443/'),
  // ── userinfo ──
  row('https://user:pw@chat.deepseek.com/', CHAT, DS),
  row('https://user@chat.deepseek.com/', CHAT, DS),
  row('https://chat.deepseek.com@evil.example/', 'evil.example', null, 'service name as userinfo'),
  row('https://chat.deepseek.com:443@evil.example/', 'evil.example'),
  row('https://evil.example@chat.deepseek.com/', CHAT, DS),
  row('https://a@b@chat.deepseek.com/', CHAT, DS, 'last @ delimits the host'),
  row('https://example.com:443@chat.deepseek.com', CHAT, DS),
  // ── Unicode, IDN, punycode ──
  row('https://ｄｅｅｐｓｅｅｋ.com/', 'deepseek.com', DS, 'full-width letters'),
  row('https://ＣＨＡＴ.ＤＥＥＰＳＥＥＫ.ＣＯＭ/', CHAT, DS, 'full-width capitals'),
  row('https://ｃｌａｕｄｅ．ａｉ/', 'claude.ai', CLAUDE, 'full-width letters and dot'),
  row('https://chat。deepseek。com/', CHAT, DS, 'U+3002 ideographic full stop'),
  row('https://chat．deepseek．com/', CHAT, DS, 'U+FF0E full-width full stop'),
  row('https://chat｡deepseek｡com/', CHAT, DS, 'U+FF61 half-width ideographic full stop'),
  row('https://chat.deepseek.com。/', CHAT, DS, 'trailing ideographic full stop'),
  row('https://DEEPſEEK.com', 'deepseek.com', DS, 'long s folds to s'),
  row('https://ⓓeepseek.com/', 'deepseek.com', DS, 'circled letter folds'),
  row('https://chat.deepseek.com\u00AD/', CHAT, DS, 'soft hyphen is ignored'),
  row('https://chat.deep\u200Bseek.com/', CHAT, DS, 'zero-width space is ignored'),
  row('https://chat.deepseek.com\uFEFF/', CHAT, DS, 'BOM is ignored'),
  row('https://dеepseek.com/', 'xn--depseek-7gg.com', null, 'Cyrillic е homograph'),
  row('https://xn--depseek-7gg.com/', 'xn--depseek-7gg.com', null, 'the same homograph as punycode'),
  row('https://deepseek.中国/', 'deepseek.xn--fiqs8s'),
  row('https://deepseek.xn--fiqs8s/', 'deepseek.xn--fiqs8s'),
  row('https://bücher.de/', 'xn--bcher-kva.de'),
  row('https://XN--BCHER-KVA.DE/', 'xn--bcher-kva.de'),
  row('https://xn--80ak6aa92e.com/', 'xn--80ak6aa92e.com'),
  // ── label boundaries ──
  row('https://notdeepseek.com/', 'notdeepseek.com'),
  row('https://deepseek.com.evil.example/', 'deepseek.com.evil.example'),
  row('https://chat.deepseek.com.evil.example/', 'chat.deepseek.com.evil.example'),
  row('https://deepseek.community/', 'deepseek.community'),
  row('https://evil-deepseek.com/', 'evil-deepseek.com'),
  row('https://chat-deepseek.com/', 'chat-deepseek.com'),
  row('https://deepseek-com.evil.example', 'deepseek-com.evil.example'),
  row('https://deepseek.co/', 'deepseek.co'),
  row('https://deepseek/', 'deepseek'),
  row('https://com/', 'com'),
  row('https://notchatgpt.com/', 'notchatgpt.com'),
  row('https://chatgpt.com.au/', 'chatgpt.com.au'),
  row('https://fakeclaude.ai', 'fakeclaude.ai'),
  row('https://claude.ai.evil.example', 'claude.ai.evil.example'),
  row('https://-chat.deepseek.com/', '-chat.deepseek.com', DS, 'odd but real subdomain label'),
  row('https://*.deepseek.com/', '*.deepseek.com', DS, 'wildcard character is just a label'),
  // ── exact entries ──
  row('https://google.com/', 'google.com'),
  row('https://mail.google.com/', 'mail.google.com'),
  row('https://x.gemini.google.com/', 'x.gemini.google.com'),
  row('https://gemini.google.com.evil.example/', 'gemini.google.com.evil.example'),
  row('https://notgemini.google.com/', 'notgemini.google.com'),
  row('https://openai.com/', 'openai.com'),
  row('https://x.chat.openai.com/', 'x.chat.openai.com'),
  row('https://www.google.com/search?q=gemini.google.com', 'www.google.com'),
  // ── schemes ──
  row('ws://chat.deepseek.com/socket', CHAT, DS),
  row('wss://chat.deepseek.com/socket', CHAT, DS),
  row('WSS://CHATGPT.COM/ws', 'chatgpt.com', GPT),
  refused('ftp://chat.deepseek.com/'),
  refused('file:///etc/passwd'),
  refused('file://chat.deepseek.com/x'),
  refused('data:text/html,<a href=https://chat.deepseek.com>x</a>'),
  refused("javascript:location='https://chat.deepseek.com'"),
  refused('blob:https://chat.deepseek.com/0f1e2d3c-uuid', 'blob is not checked'),
  refused('view-source:https://chat.deepseek.com/'),
  refused('chrome://settings'),
  refused('chrome-extension://abcdefghijklmnop/page.html'),
  refused('moz-extension://6f1b2c3d/page.html'),
  refused('about:blank'),
  refused('httpx://chat.deepseek.com'),
  row('https:chat.deepseek.com', CHAT, DS, 'special scheme without slashes'),
  row('https:/chat.deepseek.com', CHAT, DS),
  row('https:///chat.deepseek.com', CHAT, DS),
  // ── hostile strings ──
  refused('', 'empty string'),
  refused('   ', 'whitespace'),
  refused(`https://chat.deepseek.com/?${'a'.repeat(100_000)}`, '100 KB string'),
  refused('https://chat.deepseek.com\u0000/', 'null byte in host'),
  refused('https://chat\u0000.deepseek.com', 'null byte mid-host'),
  refused('https://chat.deepseek.com%00/', '%00 in host'),
  row('https://chat.deepseek.com/%00', CHAT, DS, '%00 in path'),
  row('https:\\\\chat.deepseek.com', CHAT, DS, 'backslashes'),
  row('https:\\\\chat.deepseek.com\\path', CHAT, DS),
  refused('//chat.deepseek.com', 'protocol-relative without a base'),
  refused('chat.deepseek.com', 'no scheme'),
  row('https://chat%2Edeepseek.com/', CHAT, DS, 'percent-encoded dot in host'),
  row('https://%63hat.deepseek.com/', CHAT, DS, 'percent-encoded letter in host'),
  row('https://chat%2edeepseek%2ecom%2e', CHAT, DS, 'percent-encoded trailing dot'),
  row('https://claude%2Eai', 'claude.ai', CLAUDE),
  refused('https://chat%252Edeepseek.com/', 'double-encoded dot'),
  refused('https://chat.deepseek.com%20/'),
  refused('https://chat .deepseek.com'),
  row('  https://chat.deepseek.com  ', CHAT, DS, 'surrounding spaces are trimmed'),
  row('\thttps://chat.deep\nseek.com/', CHAT, DS, 'tabs and newlines are removed'),
  refused('https://'),
  refused('https://:443'),
  refused('http://@/'),
  refused('https://%/'),
  // ── IP addresses never match a catalog host ──
  row('https://127.0.0.1/', '127.0.0.1'),
  row('http://0x7f.1/', '127.0.0.1', null, 'hex IPv4 shorthand'),
  row('http://2130706433/', '127.0.0.1', null, 'decimal IPv4'),
  row('https://0177.0.0.1/', '127.0.0.1', null, 'octal IPv4'),
  row('https://[::1]/', '[::1]'),
  row('https://[2001:db8::1]:443/', '[2001:db8::1]'),
  refused('https://256.0.0.1', 'invalid IPv4'),
  refused('https://1.2.3.4.5/'),
  // ── the service named only in query, fragment or path ──
  row('https://example.com/?u=https://chat.deepseek.com', 'example.com'),
  row('https://example.com/#chat.deepseek.com', 'example.com'),
  row('https://example.com/chat.deepseek.com', 'example.com'),
  row('https://translate.google.com/translate?u=https://chat.deepseek.com', 'translate.google.com'),
  row('https://chat.deepseek.com#https://example.com', CHAT, DS),
  // ── not strings at all ──
  refused(undefined, 'undefined'),
  refused(null, 'null'),
  refused(42, 'number'),
  refused(Number.NaN, 'NaN'),
  refused(true, 'boolean'),
  refused(10n, 'bigint'),
  refused(Symbol('https://chat.deepseek.com'), 'symbol'),
  refused({}, 'empty object'),
  refused([], 'empty array'),
  refused(['https://chat.deepseek.com/'], 'array holding a URL'),
  refused(new URL('https://chat.deepseek.com/'), 'URL object'),
  refused({ toString: () => 'https://chat.deepseek.com/' }, 'object that stringifies to a URL'),
  refused({ toString: () => { throw new Error('boom'); } }, 'object whose toString throws'),
  refused(new Proxy({}, { get: () => { throw new Error('trap'); } }), 'proxy that throws on access'),
  refused(() => 'https://chat.deepseek.com/', 'function'),
];

const title = (r: Row): string => r.label ?? (typeof r.input === 'string' ? JSON.stringify(r.input).slice(0, 80) : String(typeof r.input));

describe('URL corpus: normalizeUrl + HostIndex.lookup', () => {
  it('has at least 100 cases', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(ROWS.map((r) => [title(r), r] as const))('%s', (_name, r) => {
    let normalized: ReturnType<typeof normalizeUrl> = null;
    expect(() => {
      normalized = normalizeUrl(r.input);
    }).not.toThrow();
    const got = normalized as ReturnType<typeof normalizeUrl>;
    expect(got?.host ?? null).toBe(r.host);
    if (got === null) return;

    // The invariants every consumer relies on.
    expect(got.host).toBe(got.host.toLowerCase());
    expect(got.host.endsWith('.')).toBe(false);
    expect(['http', 'https', 'ws', 'wss']).toContain(got.scheme);
    expect(new URL(got.href).protocol).toBe(`${got.scheme}:`);

    const hit = index.lookup(got.host);
    expect(hit === null ? null : [hit.serviceId, hit.host]).toEqual(r.match);
  });
});

describe('normalizeUrl edges', () => {
  it('drops the port and keeps the parser serialization as href', () => {
    expect(normalizeUrl('HTTP://User:Pw@Chat.DeepSeek.com:8080/A?b#c')).toEqual({
      href: 'http://User:Pw@chat.deepseek.com:8080/A?b#c',
      scheme: 'http',
      host: 'chat.deepseek.com',
    });
  });

  it('accepts exactly the maximum length and refuses one character more', () => {
    const base = 'https://chat.deepseek.com/?';
    const atCap = base + 'a'.repeat(MAX_URL_LENGTH - base.length);
    expect(atCap.length).toBe(MAX_URL_LENGTH);
    expect(normalizeUrl(atCap)?.host).toBe(CHAT);
    expect(normalizeUrl(atCap + 'a')).toBeNull();
  });
});

describe('HostIndex', () => {
  it('prefers the most specific entry', () => {
    const nested = new HostIndex([svc('outer', [['example.com', 'domain']]), svc('inner', [['chat.example.com', 'domain']])]);
    expect(nested.lookup('a.chat.example.com')?.serviceId).toBe('inner');
    expect(nested.lookup('chat.example.com')?.serviceId).toBe('inner');
    expect(nested.lookup('mail.example.com')?.serviceId).toBe('outer');
  });

  it('lets an exact entry cover only its own host, falling back to a broader domain entry', () => {
    const mixed = new HostIndex([svc('workspace', [['google.com', 'domain']]), svc('gemini', [['gemini.google.com', 'exact']])]);
    expect(mixed.lookup('gemini.google.com')?.serviceId).toBe('gemini');
    expect(mixed.lookup('x.gemini.google.com')?.serviceId).toBe('workspace');
  });

  it('keeps the first of two services claiming the same host', () => {
    const dup = new HostIndex([svc('first', [['dup.example', 'domain']]), svc('second', [['dup.example', 'domain']])]);
    expect(dup.lookup('dup.example')?.serviceId).toBe('first');
    expect(dup.size).toBe(1);
  });

  it('agrees with a plain scan of every entry over a large catalog (the filter never hides a host)', () => {
    // 5,000 synthetic entries; queries hit them, sit beside them, and nest under them.
    const many = Array.from({ length: 5000 }, (_, i) =>
      svc(`s${i}`, [[i % 3 === 0 ? `app.s${i}.example` : `s${i}.example`, i % 3 === 0 ? 'exact' : 'domain']]));
    const big = new HostIndex(many);
    const scan = (host: string): string | null => {
      let best: { id: string; len: number } | null = null;
      for (const s of many) {
        const { host: h, match } = s.hosts[0]!;
        const fits = host === h || (match === 'domain' && host.endsWith(`.${h}`));
        if (fits && (best === null || h.length > best.len)) best = { id: s.id, len: h.length };
      }
      return best?.id ?? null;
    };
    let hits = 0;
    for (let i = 0; i < 6000; i += 11) {
      for (const q of [`s${i}.example`, `app.s${i}.example`, `x.app.s${i}.example`, `w.s${i}.example`, `s${i}.example.org`, `ns${i}.example`]) {
        const want = scan(q);
        if (want !== null) hits += 1;
        expect(big.lookup(q)?.serviceId ?? null, q).toBe(want);
      }
    }
    expect(hits).toBeGreaterThan(1000);
  });

  it('still matches hosts with more labels than the lookup remembers', () => {
    const deep = `${'a.'.repeat(300)}chat.deepseek.com`;
    expect(index.lookup(deep)).toMatchObject({ serviceId: 'deepseek', host: 'deepseek.com' });
    expect(index.lookup(`${'a.'.repeat(300)}example.org`)).toBeNull();
    expect(normalizeUrl(`https://${deep}/`)?.host).toBe(deep);
  });

  it('counts entries and answers garbage with null', () => {
    expect(index.size).toBe(5);
    expect(index.lookup('')).toBeNull();
    expect(index.lookup('.')).toBeNull();
    expect(index.lookup('..deepseek.com')?.serviceId).toBe('deepseek');
    expect(index.lookup(undefined as unknown as string)).toBeNull();
  });
});
