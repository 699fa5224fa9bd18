/**
 * A local HTTP server for the browser benchmarks that counts what reached it:
 * requests per Host header and TCP connections. It also works as a plain HTTP
 * proxy (absolute request URLs; CONNECT is counted per host and refused), which
 * is how Firefox sends every host here.
 *
 * The e2e harness has its own counting server with fixed pages; the benchmark
 * needs pages of chosen sizes, so it has this one (tests/e2e/** is not ours).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Resource {
  type: string;
  body: string | Buffer;
  /** Cache-Control; default `no-store` (fetched on every visit). */
  cacheControl?: string;
}

/** Answers a GET for `path` on `host`, or null for a 404. */
export type Routes = (host: string, path: string) => Resource | null;

export interface BenchServer {
  readonly port: number;
  /** HTTP requests (and CONNECTs) for `host` since the last reset. */
  requests(host: string): number;
  /** TCP connections accepted since the last reset, whatever they were for. */
  connections(): number;
  reset(): void;
  /** Closes every open connection, so the next request needs a new one. */
  dropConnections(): void;
  close(): Promise<void>;
}

const hostOf = (header: string | undefined): string => (header ?? '').replace(/:\d+$/, '').toLowerCase();

export function startBenchServer(routes: Routes): Promise<BenchServer> {
  const perHost = new Map<string, number>();
  const sockets = new Set<Socket>();
  let connections = 0;
  const count = (host: string) => perHost.set(host, (perHost.get(host) ?? 0) + 1);

  const server = http.createServer((req, res) => {
    const host = hostOf(req.headers.host);
    count(host);
    // A proxied request carries an absolute URL; a direct one only the path.
    const path = new URL(req.url ?? '/', `http://${host || 'unknown'}`).pathname;
    req.resume();
    const resource = routes(host, path);
    if (!resource) {
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': resource.type, 'cache-control': resource.cacheControl ?? 'no-store' });
    res.end(resource.body);
  });
  // Firefox's own background traffic (its settings service) tunnels through a proxy: count and refuse it.
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    count(hostOf(req.url));
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        requests: (host) => perHost.get(host) ?? 0,
        connections: () => connections,
        reset() {
          perHost.clear();
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
