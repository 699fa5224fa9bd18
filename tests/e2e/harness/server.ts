/**
 * Local stand-ins for the AI services and for an unrelated site, shared by the
 * end-to-end tests and the benchmarks. Chromium's --host-resolver-rules send
 * every mapped host here, and Firefox uses a server as its HTTP proxy
 * (absolute request URLs; a CONNECT is counted for its host and refused), so
 * the counters below are the ground truth for "what reached the banned site":
 * HTTP requests per Host header, and TCP connections per server. One server
 * answers many hosts, so a connection (which happens before any Host header)
 * can only be attributed to a host by giving that host a server of its own:
 * `startHostServer(host)`.
 *
 * The pages are the tests' fixed ones unless a `Routes` function is given
 * (the benchmarks serve pages of chosen sizes, bench/browser/pages.ts).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { selfSignedCertificate } from './tls';

export const UNRELATED_HOST = 'example.test';

export interface RequestRecord {
  host: string;
  path: string;
  method: string;
  at: number;
}

/** One answer of a `Routes` function. */
export interface Resource {
  type: string;
  body: string | Buffer;
  /** Cache-Control; default `no-store` (fetched on every visit). */
  cacheControl?: string;
}

/** Answers a GET for `path` on `host`, or null for a 404. */
export type Routes = (host: string, path: string) => Resource | null;

export interface CountingServer {
  readonly port: number;
  /** Every HTTP request seen since the last reset, in order. */
  readonly log: readonly RequestRecord[];
  /** Requests for `host` (Host header, port stripped), optionally for one path only. */
  requests(host: string, path?: string): number;
  /** TCP connections accepted since the last reset (any host). */
  connections(): number;
  reset(): void;
  /** Closes every open connection, so the next request needs a new one. */
  dropConnections(): void;
  close(): Promise<void>;
}

function hostOf(header: string | undefined): string {
  return (header ?? '').replace(/:\d+$/, '').toLowerCase();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// An inline empty icon stops Chromium asking each host for /favicon.ico, so a
// page load is exactly one request.
const HEAD = '<meta charset="utf-8"><link rel="icon" href="data:,">';

/** A stand-in for an AI service: something to type into, as a person would. */
function servicePage(host: string): string {
  return `<!doctype html><html><head>${HEAD}<title>${escapeHtml(host)}</title></head>
<body><h1 id="service-host">${escapeHtml(host)}</h1>
<form id="prompt-form" method="post" action="/prompt">
<label for="prompt">Message</label><textarea id="prompt" name="prompt"></textarea>
<button type="submit">Send</button></form></body></html>`;
}

/** The unrelated site: links and a window.open to banned hosts start navigations from a web page. */
function unrelatedPage(): string {
  return `<!doctype html><html><head>${HEAD}<title>${UNRELATED_HOST}</title></head>
<body><h1>${UNRELATED_HOST}</h1>
<p><a id="link-deepseek" href="http://chat.deepseek.com/">DeepSeek</a></p>
<p><a id="link-chatgpt" href="https://chatgpt.com/">ChatGPT</a></p>
<p><button id="open-deepseek" type="button">Open DeepSeek in a new window</button></p>
<script>
document.getElementById('open-deepseek').addEventListener('click', () => {
  window.open('http://chat.deepseek.com/', '_blank');
});
</script></body></html>`;
}

/** example.test/embed?src=<http url>: the given page in an iframe. */
function embedPage(src: string): string {
  return `<!doctype html><html><head>${HEAD}<title>${UNRELATED_HOST} embed</title></head>
<body><h1>Embedded</h1><iframe id="embedded" src="${escapeHtml(src)}" width="600" height="400"></iframe></body></html>`;
}

function respond(req: http.IncomingMessage, res: http.ServerResponse, host: string): void {
  const url = new URL(req.url ?? '/', `http://${host || 'unknown'}`);
  let status = 200;
  let body: string;
  if (host === UNRELATED_HOST && url.pathname === '/embed') {
    const src = url.searchParams.get('src') ?? '';
    if (!/^https?:\/\//.test(src)) status = 400;
    body = status === 200 ? embedPage(src) : 'src must be an http(s) URL';
  } else if (host === UNRELATED_HOST && url.pathname === '/') {
    body = unrelatedPage();
  } else if (url.pathname === '/' || url.pathname === '/prompt') {
    body = servicePage(host);
  } else {
    status = 404;
    body = 'not found';
  }
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function respondFrom(routes: Routes, req: http.IncomingMessage, res: http.ServerResponse, host: string): void {
  // A proxied request carries an absolute URL; a direct one only the path.
  const resource = routes(host, new URL(req.url ?? '/', `http://${host || 'unknown'}`).pathname);
  if (!resource) {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': resource.type, 'cache-control': resource.cacheControl ?? 'no-store' });
  res.end(resource.body);
}

function createCountingServer(tlsHosts?: readonly string[], routes?: Routes): Promise<CountingServer> {
  const log: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = hostOf(req.headers.host);
    log.push({ host, path: (req.url ?? '/').split('?')[0] ?? '/', method: req.method ?? 'GET', at: Date.now() });
    // Drain a POSTed prompt before answering.
    req.resume();
    req.on('end', () => (routes ? respondFrom(routes, req, res, host) : respond(req, res, host)));
  };
  const server = tlsHosts ? https.createServer(selfSignedCertificate(tlsHosts), handler) : http.createServer(handler);
  // Through a proxy, https (and Firefox's own background traffic) arrives as a CONNECT: count it for its host and refuse it.
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    log.push({ host: hostOf(req.url), path: '', method: 'CONNECT', at: Date.now() });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  // 'connection' is the TCP accept, before any TLS or HTTP: it counts pre-connects too.
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        log,
        requests: (host, path) => log.filter((r) => r.host === host && (path === undefined || r.path === path)).length,
        connections: () => connections,
        reset() {
          log.length = 0;
          connections = 0;
        },
        dropConnections() {
          for (const socket of sockets) socket.destroy();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * One server for every mapped host: the unrelated site and the catch-all for
 * banned hosts, or whatever `routes` answers.
 */
export function startSiteServer(routes?: Routes): Promise<CountingServer> {
  return createCountingServer(undefined, routes);
}

export interface HostServer extends CountingServer {
  readonly host: string;
  readonly scheme: 'http' | 'https';
}

export interface HostServerOptions {
  /** Speak HTTPS (self-signed): for hosts on Chromium's HSTS preload list, such as chatgpt.com. */
  tls?: boolean;
}

/**
 * A server that only this host is mapped to: every connection it accepts was
 * opened for `host`, which is how connection-level leaks are attributed.
 */
export async function startHostServer(host: string, options: HostServerOptions = {}): Promise<HostServer> {
  const server = await createCountingServer(options.tls ? [host, `*.${host}`] : undefined);
  const scheme: HostServer['scheme'] = options.tls ? 'https' : 'http';
  return Object.assign(server, { host, scheme });
}
