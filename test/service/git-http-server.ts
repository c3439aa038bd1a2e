/**
 * A git server for tests: git's own smart-HTTP CGI (`git http-backend`, git-http-backend(1)) behind a
 * Node http server on 127.0.0.1, serving the repositories under `projectRoot` as
 * `http://127.0.0.1:<port>/<path>`. Nothing leaves the machine.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, what `--git-allow-http` takes. */
  hostPort: string;
  /** Requests served so far, as `METHOD /path?query`. */
  requests: string[];
  close(): Promise<void>;
}

function serveCgi(projectRoot: string, req: IncomingMessage, res: ServerResponse, requests: string[]): void {
  const u = new URL(req.url ?? '/', 'http://localhost');
  requests.push(`${req.method} ${u.pathname}${u.search}`);
  const child = spawn('git', ['http-backend'], {
    // A clean environment: the server side must not read the test's (hostile) global git config.
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin', GIT_PROJECT_ROOT: projectRoot, GIT_HTTP_EXPORT_ALL: '1', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
      REQUEST_METHOD: req.method ?? 'GET', PATH_INFO: decodeURIComponent(u.pathname), QUERY_STRING: u.search.slice(1), REMOTE_ADDR: '127.0.0.1',
      CONTENT_TYPE: req.headers['content-type'] ?? '', ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim();
      const value = line.slice(i + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => (headersDone ? res.end() : res.writeHead(500).end()));
}

/** Starts the server on a free port. */
export async function startGitHttpServer(projectRoot: string): Promise<GitHttpServer> {
  const requests: string[] = [];
  const srv = createServer((req, res) => serveCgi(projectRoot, req, res, requests));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}`, requests,
    close: () => new Promise((r) => (srv.closeAllConnections(), srv.close(() => r()))),
  };
}
