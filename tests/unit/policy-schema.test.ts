/**
 * The policy schema and compiler against small in-memory fixtures, so that
 * every rejection is pinned to its exact `file: field.path: message` line
 * independently of the real data in policies/.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicies, formatPolicyFile, type PolicyInputFile } from '../../src/core/policy-compile';

const SEED_PATH = 'seeds/test-daily-2025-02-06.txt';
const SEED_TEXT = [
  'ACME Corp uploaded a notice titled “No chatbots” on Feb. 1.',
  '“Using chatbots for work tasks is banned,” ACME said.',
  'Beta Bank blocked access starting Monday because of DeepSeek’s data practices.',
  'Personal data is stored at servers in China.',
].join('\n');
const SEEDS: PolicyInputFile[] = [{ path: SEED_PATH, text: SEED_TEXT }];

const en = (text: string) => ({ en: text, ko: `${text} (ko)` });

// Loose shapes, so that tests can break, add and delete fields freely.
type Loose = Record<string, unknown>;
interface HostFixture { host: string; match: string; source: string }
interface ServiceFixture extends Loose {
  id: string;
  category: string;
  dataLocation?: { summary: Loose; source: string; quote: { text: string } };
  hosts: HostFixture[];
}
interface OrganizationFixture extends Loose { id: string; name: Loose; notices: Loose[]; rules: Loose[] }

function makeTree() {
  const source = { id: 'test-daily', publisher: en('Test Daily'), headline: 'Test headline', date: '2025-02-06' };
  const deepseek: ServiceFixture = {
    id: 'deepseek', name: 'DeepSeek', vendor: 'DeepSeek', category: 'chatbot',
    dataLocation: { summary: en('Stored in China'), source: 'test-daily', quote: { text: 'Personal data is stored at servers in China.' } },
    hosts: [
      { host: 'deepseek.com', match: 'domain', source: 'https://www.deepseek.com' },
      { host: 'chat.deepseek.com', match: 'exact', source: 'https://www.deepseek.com' },
    ],
  };
  const gemini: ServiceFixture = {
    id: 'gemini', name: 'Gemini', vendor: 'Google', category: 'chatbot',
    hosts: [{ host: 'gemini.google.com', match: 'exact', source: 'https://gemini.google.com' }],
  };
  const acme: OrganizationFixture = {
    $schema: '../../schema/organization.schema.json',
    id: 'acme', name: en('ACME Corp'), sector: 'company', country: 'KR',
    notices: [{
      id: 'no-chatbots', source: 'test-daily',
      date: { on: '2025-02-01', sourceSays: 'on Feb. 1' },
      title: { text: 'No chatbots', ko: '챗봇 금지' },
      quotes: [{ text: 'Using chatbots for work tasks is banned,' }],
      reasons: [en('Leaks')], status: 'in-force',
    }],
    rules: [{ target: { service: 'deepseek' }, scope: 'work-tasks', level: 'block', notice: 'no-chatbots' }],
  };
  const betaBank: OrganizationFixture = {
    id: 'beta-bank', name: en('Beta Bank'), sector: 'financial', country: 'KR',
    notices: [{
      id: 'external-network', source: 'test-daily',
      date: { on: '2025-02-03', sourceSays: 'starting Monday' },
      quotes: [{ text: 'DeepSeek’s data practices' }],
      reasons: [], status: 'in-force',
    }],
    rules: [{ target: { category: 'chatbot' }, scope: 'external-network', level: 'warn', notice: 'external-network' }],
  };
  return {
    sources: { sources: [{ ...source, weekday: 'Thursday', byline: ['KIM TEST'], seedFile: SEED_PATH }] as Loose[] },
    services: {
      $schema: '../schema/services.schema.json',
      categories: [{ id: 'chatbot', name: en('AI chatbots') }],
      services: [deepseek, gemini],
    },
    organizations: { acme, 'beta-bank': betaBank } as Record<string, OrganizationFixture>,
  };
}

type Tree = ReturnType<typeof makeTree>;

function toFiles(tree: Tree): PolicyInputFile[] {
  return [
    { path: 'policies/sources.json', text: formatPolicyFile(tree.sources) },
    { path: 'policies/services.json', text: formatPolicyFile(tree.services) },
    ...Object.entries(tree.organizations).map(([stem, value]) => ({
      path: `policies/organizations/${stem}.json`,
      text: formatPolicyFile(value),
    })),
  ];
}

function compile(tree: Tree, change: (files: PolicyInputFile[]) => PolicyInputFile[] = (f) => f) {
  return compilePolicies({ files: change(toFiles(tree)), seeds: SEEDS });
}

/** The error lines of a compile that must fail. */
function errorsOf(tree: Tree, change?: (files: PolicyInputFile[]) => PolicyInputFile[]): string[] {
  const result = compile(tree, change);
  if (result.ok) throw new Error(`expected errors, compiled: ${result.summary}`);
  return result.errors;
}

function withText(path: string, text: string) {
  return (files: PolicyInputFile[]) => files.map((f) => (f.path === path ? { path, text } : f));
}

const ACME = 'policies/organizations/acme.json';
const BETA = 'policies/organizations/beta-bank.json';
const SERVICES = 'policies/services.json';
const SOURCES = 'policies/sources.json';

const acme = (tree: Tree) => tree.organizations.acme!;
const services = (tree: Tree) => tree.services.services;

describe('compilePolicies: accepted input', () => {
  it('compiles the fixture and summarizes what it verified', () => {
    const result = compile(makeTree());
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    // 3 notice texts of ACME, 2 of Beta Bank, 1 data-location quote.
    expect(result.summary).toBe('2 organizations (2 sectors), 2 services, 3 hosts, 6 quotes verified against 1 seed file');
    expect(result.bundle.services.map((s) => s.id)).toEqual(['deepseek', 'gemini']);
    expect(result.bundle.sources[0]?.id).toBe('test-daily');
  });

  it('strips $schema keys and sorts organizations by sector, then English name', () => {
    const tree = makeTree();
    tree.organizations['zeta-corp'] = { ...acme(tree), id: 'zeta-corp', name: en('Zeta Corp') };
    tree.organizations['alpha-bank'] = { ...tree.organizations['beta-bank']!, id: 'alpha-bank', name: en('Alpha Bank') };
    const result = compile(tree);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.bundle.organizations.map((o) => o.id)).toEqual(['acme', 'zeta-corp', 'alpha-bank', 'beta-bank']);
    expect(result.bundle.organizations.some((o) => '$schema' in o)).toBe(false);
    expect(JSON.parse(JSON.stringify(result.bundle))).toEqual(result.bundle);
  });

  it('accepts a domain registered under a private suffix, which is one customer', () => {
    const tree = makeTree();
    services(tree)[1]!.hosts.push({ host: 'someone.github.io', match: 'domain', source: 'test' });
    expect(compile(tree).ok).toBe(true);
  });
});

describe('compilePolicies: schema errors name file, field path and message', () => {
  const cases: [string, (tree: Tree) => void, string][] = [
    ['wrong level', (t) => void (acme(t).rules[0]!.level = 'forbid'),
      `${ACME}: rules.0.level: Invalid option: expected one of "notice"|"caution"|"warn"|"block"`],
    ['unknown scope', (t) => void (acme(t).rules[0]!.scope = 'everywhere'),
      `${ACME}: rules.0.scope: Invalid option: expected one of "work-tasks"|"company-network"|"external-network"|"office-devices"|"government-devices"|"app-markets"|"personal-computers"|"unspecified"`],
    ['impossible date', (t) => void (acme(t).notices[0]!.date = { on: '2025-02-30', sourceSays: 'on Feb. 1' }),
      `${ACME}: notices.0.date.on: must be a calendar date written YYYY-MM-DD`],
    ['missing quotes', (t) => void delete acme(t).notices[0]!.quotes,
      `${ACME}: notices.0.quotes: Invalid input: expected array, received undefined`],
    ['empty quotes', (t) => void (acme(t).notices[0]!.quotes = []),
      `${ACME}: notices.0.quotes: Too small: expected array to have >=1 items`],
    ['unknown key at the root', (t) => void (acme(t).website = 'https://acme.example'),
      `${ACME}: (root): Unrecognized key: "website"`],
    ['unknown key in a notice', (t) => void (acme(t).notices[0]!.link = 'https://acme.example'),
      `${ACME}: notices.0: Unrecognized key: "link"`],
    ['rule target of neither kind', (t) => void (acme(t).rules[0]!.target = { model: 'r1' }),
      `${ACME}: rules.0.target: must be {"service": id} or {"category": id}`],
    ['upper-case host', (t) => void (services(t)[0]!.hosts[1]!.host = 'Chat.DeepSeek.com'),
      `${SERVICES}: services.0.hosts.1.host: must be a lower-case ASCII host name`],
    ['host with a port', (t) => void (services(t)[0]!.hosts[1]!.host = 'chat.deepseek.com:443'),
      `${SERVICES}: services.0.hosts.1.host: must be a lower-case ASCII host name`],
    ['host with a trailing dot', (t) => void (services(t)[0]!.hosts[1]!.host = 'chat.deepseek.com.'),
      `${SERVICES}: services.0.hosts.1.host: must be a lower-case ASCII host name`],
    ['country that is not ISO 3166', (t) => void (acme(t).country = 'Korea'),
      `${ACME}: country: must be an ISO 3166 code such as KR or US-TX`],
  ];
  it.each(cases)('%s', (_name, breakIt, expected) => {
    const tree = makeTree();
    breakIt(tree);
    expect(errorsOf(tree)).toEqual([expected]);
  });

  it('reports a file whose root is not an object', () => {
    expect(errorsOf(makeTree(), withText(ACME, 'null\n'))).toEqual([`${ACME}: (root): Invalid input: expected object, received null`]);
  });
});

describe('compilePolicies: cross-checks', () => {
  const cases: [string, (tree: Tree) => void, string[]][] = [
    ['unknown service in a rule', (t) => void (acme(t).rules[0]!.target = { service: 'chatgpt' }),
      [`${ACME}: rules.0.target.service: unknown service "chatgpt"`]],
    ['unknown category in a rule', (t) => void (acme(t).rules[0]!.target = { category: 'image-generators' }),
      [`${ACME}: rules.0.target.category: unknown category "image-generators"`]],
    ['unknown category of a service', (t) => void (services(t)[1]!.category = 'assistant'),
      [`${SERVICES}: services.1.category: unknown category "assistant"`]],
    ['rule citing a notice of another file', (t) => void (acme(t).rules[0]!.notice = 'external-network'),
      [`${ACME}: rules.0.notice: no notice "external-network" in this file`]],
    ['unknown source of a notice', (t) => void (acme(t).notices[0]!.source = 'yonhap'),
      [`${ACME}: notices.0.source: unknown source "yonhap"`]],
    ['unknown source of a data location', (t) => void (services(t)[0]!.dataLocation!.source = 'yonhap'),
      [`${SERVICES}: services.0.dataLocation.source: unknown source "yonhap"`]],
    ['duplicate notice id', (t) => void acme(t).notices.push({ ...acme(t).notices[0]! }),
      [`${ACME}: notices.1.id: duplicate notice id "no-chatbots"`]],
    ['duplicate service id', (t) => void (services(t)[1]!.id = 'deepseek'),
      [`${SERVICES}: services.1.id: duplicate service id "deepseek"`]],
    ['duplicate category id', (t) => void t.services.categories.push({ id: 'chatbot', name: en('Again') }),
      [`${SERVICES}: categories.1.id: duplicate category id "chatbot"`]],
    ['duplicate source id', (t) => void t.sources.sources.push({ ...t.sources.sources[0]! }),
      [`${SOURCES}: sources.1.id: duplicate source id "test-daily"`]],
    ['the same host in two services', (t) => void services(t)[1]!.hosts.push({ host: 'deepseek.com', match: 'exact', source: 'x' }),
      [`${SERVICES}: services.1.hosts.1.host: "deepseek.com" is listed twice (first at services.0.hosts.0.host)`]],
    ['organization id that is not the file name', (t) => void (acme(t).id = 'acme-corp'),
      [`${ACME}: id: must equal the file name "acme"`]],
    ['date after the source was published', (t) => void (acme(t).notices[0]!.date = { on: '2025-02-10', sourceSays: 'on Feb. 1' }),
      [`${ACME}: notices.0.date.on: 2025-02-10 is after the source's date 2025-02-06`]],
    ['source weekday that does not match its date', (t) => void (t.sources.sources[0]!.weekday = 'Wednesday'),
      [`${SOURCES}: sources.0.weekday: 2025-02-06 is a Thursday, not a Wednesday`]],
    // The seed is missing, so no quote can be checked: one error, not one per quote.
    ['source whose seed file is missing', (t) => void (t.sources.sources[0]!.seedFile = 'seeds/other.txt'),
      [`${SOURCES}: sources.0.seedFile: seeds/other.txt is not among the seed files`]],
  ];
  it.each(cases)('%s', (_name, breakIt, expected) => {
    const tree = makeTree();
    breakIt(tree);
    expect(errorsOf(tree)).toEqual(expected);
  });

  it('reports a duplicate organization id once per extra file', () => {
    const tree = makeTree();
    tree.organizations['acme-copy'] = { ...acme(tree) };
    expect(errorsOf(tree)).toEqual([
      'policies/organizations/acme-copy.json: id: must equal the file name "acme-copy"',
      `${ACME}: id: duplicate organization id "acme" (also in policies/organizations/acme-copy.json)`,
    ]);
  });
});

describe('compilePolicies: quotes are checked verbatim against the seed', () => {
  const notFound = `not found verbatim in ${SEED_PATH}`;
  const cases: [string, (tree: Tree) => void, string][] = [
    ['straight apostrophe where the seed has a curly one',
      (t) => void (t.organizations['beta-bank']!.notices[0]!.quotes = [{ text: "DeepSeek's data practices" }]),
      `${BETA}: notices.0.quotes.0.text: ${notFound}`],
    ['second quote reworded', (t) => void (acme(t).notices[0]!.quotes = [{ text: 'ACME said.' }, { text: 'Chatbots are banned' }]),
      `${ACME}: notices.0.quotes.1.text: ${notFound}`],
    ['title with straight quotes around it', (t) => void (acme(t).notices[0]!.title = { text: '"No chatbots"' }),
      `${ACME}: notices.0.title.text: ${notFound}`],
    ['date words the source does not use', (t) => void (acme(t).notices[0]!.date = { on: '2025-02-01', sourceSays: 'on February 1' }),
      `${ACME}: notices.0.date.sourceSays: ${notFound}`],
    ['data-location quote with different whitespace',
      (t) => void (services(t)[0]!.dataLocation!.quote.text = 'Personal data is  stored at servers in China.'),
      `${SERVICES}: services.0.dataLocation.quote.text: ${notFound}`],
  ];
  it.each(cases)('%s', (_name, breakIt, expected) => {
    const tree = makeTree();
    breakIt(tree);
    expect(errorsOf(tree)).toEqual([expected]);
  });
});

describe('compilePolicies: hosts', () => {
  const cases: [string, string, 'domain' | 'exact', string][] = [
    ['a subdomain listed as a domain', 'gemini.google.com', 'domain',
      '"gemini.google.com" is not a registrable domain (its registrable domain is google.com); use match "exact"'],
    ['a public suffix listed as a domain', 'co.kr', 'domain', '"co.kr" is a public suffix, not the host of a service'],
    ['a public suffix listed as exact', 'co.kr', 'exact', '"co.kr" is a public suffix, not the host of a service'],
    ['a private public suffix listed as a domain', 'github.io', 'domain', '"github.io" is a public suffix, not the host of a service'],
    ['an IP address', '10.0.0.12', 'exact', '"10.0.0.12" is an IP address, not a host name'],
    ['a host under no known suffix', 'chat.deepseek.notatld', 'exact', '"chat.deepseek.notatld" does not end in a known public suffix'],
  ];
  it.each(cases)('rejects %s', (_name, host, match, message) => {
    const tree = makeTree();
    services(tree)[1]!.hosts = [{ host, match, source: 'test' }];
    expect(errorsOf(tree)).toEqual([`${SERVICES}: services.1.hosts.0.host: ${message}`]);
  });
});

describe('compilePolicies: files', () => {
  it('rejects a file that is not in canonical form', () => {
    const tree = makeTree();
    const indented = JSON.stringify(tree.services, null, 4) + '\n';
    expect(errorsOf(tree, withText(SERVICES, indented))).toEqual([
      `${SERVICES}: (root): not in canonical form (run npm run policies:format)`,
    ]);
    const noNewline = formatPolicyFile(tree.services).trimEnd();
    expect(errorsOf(tree, withText(SERVICES, noNewline))).toEqual([
      `${SERVICES}: (root): not in canonical form (run npm run policies:format)`,
    ]);
  });

  it('names the file and the parser message for invalid JSON', () => {
    const text = '{\n  "id": "acme",\n}\n';
    let parserMessage = '';
    try {
      JSON.parse(text);
    } catch (error) {
      parserMessage = (error as Error).message;
    }
    expect(parserMessage).not.toBe('');
    expect(errorsOf(makeTree(), withText(ACME, text))).toEqual([`${ACME}: (root): invalid JSON: ${parserMessage}`]);
  });

  it('rejects stray files under policies/', () => {
    const stray = (path: string) => (files: PolicyInputFile[]) => [...files, { path, text: '{}\n' }];
    const message = 'unexpected file; policies/ holds only sources.json, services.json and organizations/<id>.json';
    expect(errorsOf(makeTree(), stray('policies/README.md'))).toEqual([`policies/README.md: (root): ${message}`]);
    expect(errorsOf(makeTree(), stray('policies/organizations/korea/khnp.json'))).toEqual([
      `policies/organizations/korea/khnp.json: (root): ${message}`,
    ]);
    expect(errorsOf(makeTree(), stray('policies/organizations/acme.yaml'))).toEqual([
      `policies/organizations/acme.yaml: (root): ${message}`,
    ]);
  });

  it('requires sources.json and services.json', () => {
    const without = (files: PolicyInputFile[]) => files.filter((f) => !f.path.startsWith('policies/s'));
    expect(errorsOf(makeTree(), without)).toEqual([`${SOURCES}: (root): missing file`, `${SERVICES}: (root): missing file`]);
  });

  it('collects errors from every file instead of stopping at the first', () => {
    const tree = makeTree();
    acme(tree).rules[0]!.level = 'forbid';
    tree.organizations['beta-bank']!.notices[0]!.quotes = [{ text: 'not in the article' }];
    services(tree)[1]!.hosts[0]!.match = 'domain';
    const broken = 'policies/organizations/zulu.json';
    const errors = errorsOf(tree, (files) => [...files, { path: broken, text: '{' }]);
    expect(errors.slice(0, 3)).toEqual([
      `${SERVICES}: services.1.hosts.0.host: "gemini.google.com" is not a registrable domain (its registrable domain is google.com); use match "exact"`,
      `${ACME}: rules.0.level: Invalid option: expected one of "notice"|"caution"|"warn"|"block"`,
      `${BETA}: notices.0.quotes.0.text: not found verbatim in ${SEED_PATH}`,
    ]);
    expect(errors).toHaveLength(4);
    expect(errors[3]).toMatch(/^policies\/organizations\/zulu\.json: \(root\): invalid JSON: \S/);
  });

  it('does not bury a broken sources.json under "unknown source" errors', () => {
    const tree = makeTree();
    tree.sources.sources[0]!.date = 'Feb. 6';
    expect(errorsOf(tree)).toEqual([`${SOURCES}: sources.0.date: must be a calendar date written YYYY-MM-DD`]);
  });
});

describe('formatPolicyFile', () => {
  it('is two-space JSON with one trailing newline, keeping Korean text as is', () => {
    expect(formatPolicyFile({ a: [1], ko: '한국수력원자력' })).toBe('{\n  "a": [\n    1\n  ],\n  "ko": "한국수력원자력"\n}\n');
  });
});

describe('compilePolicies: context, personal use, uncertain status and aliases', () => {
  const context = (text: string) => ({ text, about: en('A newspaper finding, not ACME’s words') });

  it('accepts and counts a context quote found verbatim, and keeps it apart from the quotes', () => {
    const tree = makeTree();
    acme(tree).notices[0]!.context = [context('Personal data is stored at servers in China.')];
    const result = compile(tree);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.summary).toContain('7 quotes verified');
    const notice = result.bundle.organizations.find((o) => o.id === 'acme')!.notices[0]!;
    expect(notice.quotes.map((q) => q.text)).toEqual(['Using chatbots for work tasks is banned,']);
    expect(notice.context?.map((c) => c.text)).toEqual(['Personal data is stored at servers in China.']);
  });

  it('refuses a context quote that is not in the seed', () => {
    const tree = makeTree();
    acme(tree).notices[0]!.context = [context('Personal data is stored in China.')];
    expect(errorsOf(tree)).toEqual([`${ACME}: notices.0.context.0.text: not found verbatim in ${SEED_PATH}`]);
  });

  it('refuses a sentence given both as the organization’s quote and as context', () => {
    const tree = makeTree();
    acme(tree).notices[0]!.context = [context('Using chatbots for work tasks is banned,')];
    expect(errorsOf(tree)).toEqual([
      `${ACME}: notices.0.context.0.text: is also one of the notice's quotes; a sentence is either the organization's or context`,
    ]);
  });

  it('refuses context without a label saying whose words these are', () => {
    const tree = makeTree();
    acme(tree).notices[0]!.context = [{ text: 'Personal data is stored at servers in China.' }];
    expect(errorsOf(tree)).toEqual([`${ACME}: notices.0.context.0.about: Invalid input: expected object, received undefined`]);
  });

  it('accepts personal use only in words of the notice’s own quotes', () => {
    const ok = makeTree();
    acme(ok).notices[0]!.personalUse = { banned: false, sourceSays: 'for work tasks is banned' };
    expect(compile(ok).ok).toBe(true);

    const elsewhere = makeTree();
    acme(elsewhere).notices[0]!.personalUse = { banned: false, sourceSays: 'Personal data is stored' };
    expect(errorsOf(elsewhere)).toEqual([`${ACME}: notices.0.personalUse.sourceSays: must be words of one of this notice's quotes`]);

    const invented = makeTree();
    acme(invented).notices[0]!.personalUse = { banned: false, sourceSays: 'Personal use is fine' };
    expect(errorsOf(invented)).toEqual([
      `${ACME}: notices.0.personalUse.sourceSays: not found verbatim in ${SEED_PATH}`,
      `${ACME}: notices.0.personalUse.sourceSays: must be words of one of this notice's quotes`,
    ]);

    const banned = makeTree();
    acme(banned).notices[0]!.personalUse = { banned: true, sourceSays: 'for work tasks is banned' };
    expect(errorsOf(banned)).toEqual([`${ACME}: notices.0.personalUse.banned: Invalid input: expected false`]);
  });

  it('accepts the status "limited-or-will-limit" and refuses an unknown one', () => {
    const tree = makeTree();
    acme(tree).notices[0]!.status = 'limited-or-will-limit';
    expect(compile(tree).ok).toBe(true);
    acme(tree).notices[0]!.status = 'maybe';
    expect(errorsOf(tree)).toEqual([
      `${ACME}: notices.0.status: Invalid option: expected one of "in-force"|"limited-or-will-limit"|"announced"|"considering"|"monitoring"|"inquiry"`,
    ]);
  });

  it('accepts aliases and refuses a blank one', () => {
    const tree = makeTree();
    acme(tree).aliases = ['애크미', 'ACME'];
    const result = compile(tree);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.bundle.organizations.find((o) => o.id === 'acme')?.aliases).toEqual(['애크미', 'ACME']);
    acme(tree).aliases = [' '];
    expect(errorsOf(tree)).toEqual([`${ACME}: aliases.0: Too small: expected string to have >=1 characters`]);
  });
});
