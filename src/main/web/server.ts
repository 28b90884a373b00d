/**
 * Web mode (DESIGN.md "Processes"): the core's contract over HTTP on 127.0.0.1 plus the renderer's
 * static build, so the same React app runs in any local browser. Built on node:http alone.
 *
 * Access: a random token (32 bytes, hex) is part of the printed URL, like Jupyter. Static files are
 * served without it (they hold no data); every /api route needs it, in the `x-backorder-desk-token`
 * header, or as `?token=` on GET /api/events only (EventSource cannot send headers). Requests whose
 * Host header is not 127.0.0.1:<port> or localhost:<port> are refused (DNS rebinding), as are API
 * requests carrying a foreign Origin.
 *
 * Routes:
 * - GET/HEAD /, /<file>        static files from `staticDir` (index.html for /), no traversal
 * - POST /api/<command>        JSON body = command input (empty body = {}); reply = the envelope
 * - GET /api/events            Server-Sent Events: `event: <name>\ndata: <json>\n\n` for every core
 *                              event, a keep-alive comment every 15 s
 *
 * HTTP status: a command that ran answers 200 with its envelope, `{ok: false}` included, because the
 * envelope is the contract's answer and the renderer reads it the same way over IPC. Only failures
 * of the transport itself use 4xx/5xx, still with an envelope body: 400 unreadable JSON (BAD_INPUT),
 * 401 missing/wrong token, 403 foreign Host or Origin, 404 unknown command or file, 405 wrong method,
 * 413 body over 210 MB, 500 when the core threw (it should not).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { commandNames, eventNames, type CommandName } from '../../shared/contract';
import type { AppErrorShape, Result } from '../../shared/result';
import type { CoreApi } from '../app/core-api';

/** Header carrying the token on API calls (the renderer's client.ts sends the same name). */
export const TOKEN_HEADER = 'x-backorder-desk-token';

/** Largest accepted request body: the contract allows 200 MB of file text, plus JSON overhead. */
export const MAX_BODY_BYTES = 210 * 1024 * 1024;

/** The Content-Security-Policy sent with every response. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
  "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export interface WebServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Only loopback: web mode is for this machine (an always-on box is reached through SSH forwarding). */
  host?: '127.0.0.1';
  /** Folder of the built renderer (out/renderer): index.html and assets/. */
  staticDir: string;
  /** Access token; a fresh random one when absent. */
  token?: string;
  /** Interval of SSE keep-alive comments; 15 s unless a test wants it shorter. */
  keepAliveMs?: number;
}

export interface WebServer {
  /** The address to open, token included: http://127.0.0.1:<port>/?token=<token>. */
  url: string;
  port: number;
  token: string;
  /** Ends event streams and open connections, then stops listening. The core stays open. */
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const commandSet: ReadonlySet<string> = new Set(commandNames);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly shape: AppErrorShape,
    readonly headers: Record<string, string> = {},
  ) {
    super(shape.message);
  }
}

/**
 * Starts the server and resolves once it listens.
 * @throws when the port cannot be bound (e.g. EADDRINUSE) or the token is empty.
 */
export async function startWebServer(core: CoreApi, opts: WebServerOptions): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(32).toString('hex');
  if (!token) throw new Error('The web-mode token must not be empty.');
  const tokenDigest = digest(token);
  const staticRoot = path.resolve(opts.staticDir);
  const keepAliveMs = opts.keepAliveMs ?? 15_000;
  const streams = new Set<http.ServerResponse>();
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) return sendJson(res, err.status, { ok: false, error: err.shape }, err.headers);
      const message = err instanceof Error ? err.message : String(err);
      sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message } });
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostAllowed(req.headers.host, port)) {
      throw new HttpError(403, { code: 'UNAUTHORIZED', message: 'This address is only served as 127.0.0.1 or localhost.' });
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    return serveStatic(req, res, url.pathname);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, port)) {
      throw new HttpError(403, { code: 'UNAUTHORIZED', message: 'Requests from other sites are refused.' });
    }
    const isEvents = url.pathname === '/api/events';
    const headerToken = req.headers[TOKEN_HEADER];
    const given = typeof headerToken === 'string' ? headerToken : isEvents ? url.searchParams.get('token') : null;
    if (!given || !timingSafeEqual(digest(given), tokenDigest)) {
      throw new HttpError(401, {
        code: 'UNAUTHORIZED',
        message: 'This page needs its access token. Open the full address Backorder Desk printed when it started.',
      });
    }

    if (isEvents) {
      if (req.method !== 'GET') throw methodNotAllowed('GET');
      return openEventStream(req, res);
    }

    const name = decodeSegment(url.pathname.slice('/api/'.length));
    if (!commandSet.has(name)) {
      throw new HttpError(404, { code: 'NOT_FOUND', message: `There is no command "${name}".` });
    }
    if (req.method !== 'POST') throw methodNotAllowed('POST');
    const input = parseJson(await readBody(req, res));
    let result: Result<unknown>;
    try {
      result = await core.dispatch(name as CommandName, input);
    } catch (err) {
      // dispatch promises never to throw; if it does, the envelope still reaches the page.
      result = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
    }
    sendJson(res, 200, result);
  }

  function openEventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Reconnect quickly after a drop; the comment line flushes the headers to the browser at once.
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const unsubscribers = eventNames.map((event) =>
      core.on(event, (payload) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      }),
    );
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
    keepAlive.unref();
    const cleanup = (): void => {
      clearInterval(keepAlive);
      for (const off of unsubscribers) off();
      streams.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET, HEAD');
    const relative = decodeSegment(pathname === '/' ? '/index.html' : pathname);
    const notFound = new HttpError(404, { code: 'NOT_FOUND', message: 'No such file.' });
    if (relative.includes('\0')) throw notFound;
    const file = path.resolve(staticRoot, `.${path.posix.normalize(relative)}`);
    if (!isInside(staticRoot, file)) throw notFound;
    let real: string;
    try {
      // Symlinks inside the build must not lead out of it either.
      real = await fsp.realpath(file);
      const realRoot = await fsp.realpath(staticRoot);
      if (!isInside(realRoot, real) || !(await fsp.stat(real)).isFile()) throw notFound;
    } catch {
      throw notFound;
    }
    const body = await fsp.readFile(real);
    const ext = path.extname(real).toLowerCase();
    res.writeHead(200, {
      'content-type': contentTypes[ext] ?? 'application/octet-stream',
      'content-length': body.length,
      // Vite puts a content hash in asset names, so those never change; index.html always may.
      'cache-control': relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of streams) res.end();
        streams.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function digest(text: string): Buffer {
  // Hashing first gives equal-length buffers, which timingSafeEqual needs, without leaking the length.
  return createHash('sha256').update(text, 'utf8').digest();
}

function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const h = hostHeader.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}`;
}

function originAllowed(origin: string, port: number): boolean {
  const o = origin.toLowerCase();
  return o === `http://127.0.0.1:${port}` || o === `http://localhost:${port}`;
}

function isInside(root: string, file: string): boolean {
  return file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, { code: 'BAD_INPUT', message: 'The address is not valid.' });
  }
}

function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, { code: 'BAD_INPUT', message: `Use ${allow} here.` }, { allow });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, { code: 'BAD_INPUT', message: 'The request body is not valid JSON.' });
  }
}

function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer> {
  const tooLarge = (): HttpError =>
    new HttpError(413, { code: 'BAD_INPUT', message: 'The request is larger than 210 MB.' }, { connection: 'close' });
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) {
    // Answer at once and drop the rest instead of reading 200+ MB we will refuse anyway.
    res.once('finish', () => req.destroy());
    return Promise.reject(tooLarge());
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        chunks.length = 0;
        res.once('finish', () => req.destroy());
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

function setSecurityHeaders(res: http.ServerResponse): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  // The token travels in the page URL: never hand it to another site in a Referer.
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
