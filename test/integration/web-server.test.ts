/**
 * Web mode's HTTP transport (src/main/web/server.ts) against a hand-written CoreApi double: the
 * server is under test here, not the core. Covers the access token, the Host (DNS rebinding) and
 * Origin guards, routing, body parsing, Server-Sent Events, static files and security headers.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreApi } from '../../src/main/app/core-api';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import type { CommandName, EventName, EventPayloads } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';

/** Records dispatches and lets the test emit events; answers every command with its own name. */
function fakeCore(): CoreApi & { calls: { name: string; input: unknown }[]; emit<E extends EventName>(e: E, p: EventPayloads[E]): void; listenerCount(): number } {
  const listeners = new Map<EventName, Set<(p: never) => void>>();
  const calls: { name: string; input: unknown }[] = [];
  return {
    calls,
    async dispatch(name: CommandName, input: unknown) {
      calls.push({ name, input });
      if (name === 'drafts.approve') return { ok: false, error: { code: 'BAD_INPUT', message: 'ids: required' } } as Result<never>;
      return { ok: true, value: { echo: name, input } } as unknown as Result<never>;
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: never) => void);
      return () => set.delete(listener as (p: never) => void);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) (l as (p: typeof payload) => void)(payload);
    },
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
    close() {},
  };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so tests can send any Host header and method (fetch would not allow that). */
function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('web server', () => {
  let dir: string;
  let staticDir: string;
  let core: ReturnType<typeof fakeCore>;
  let server: WebServer;
  const token = 'a'.repeat(64);
  const auth = { 'x-backorder-desk-token': token, 'content-type': 'application/json' };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-web-'));
    staticDir = path.join(dir, 'renderer');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Backorder Desk</title>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    fs.writeFileSync(path.join(staticDir, 'assets', 'index-abc123.css'), 'body{}');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside the build');
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(staticDir, 'link.txt'));
    core = fakeCore();
    server = await startWebServer(core, { host: '127.0.0.1', port: 0, staticDir, token, keepAliveMs: 100 });
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL with the token and generates a 64-hex-digit token when none is given', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
    const other = await startWebServer(fakeCore(), { host: '127.0.0.1', staticDir });
    try {
      expect(other.token).toMatch(/^[0-9a-f]{64}$/);
      expect(other.url).toContain(`?token=${other.token}`);
    } finally {
      await other.close();
    }
  });

  it('runs a command and answers its envelope', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/drafts.list', headers: auth, body: '{"status":["draft"]}' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { echo: 'drafts.list', input: { status: ['draft'] } } });
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('answers ok:false envelopes with 200, and an empty body is an empty input', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/drafts.approve', headers: auth });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: 'ids: required' } });
    expect(core.calls.at(-1)).toEqual({ name: 'drafts.approve', input: {} });
  });

  it('refuses API calls without the token or with a wrong one (401)', async () => {
    const before = core.calls.length;
    const none = await request(server.port, { method: 'POST', path: '/api/app.status', body: '{}' });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { 'x-backorder-desk-token': 'b'.repeat(64) }, body: '{}' });
    expect(wrong.status).toBe(401);
    const short = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { 'x-backorder-desk-token': 'a' }, body: '{}' });
    expect(short.status).toBe(401);
    // The query token is for EventSource only; commands need the header.
    const query = await request(server.port, { method: 'POST', path: `/api/app.status?token=${token}`, body: '{}' });
    expect(query.status).toBe(401);
    expect(core.calls.length).toBe(before);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403, even with the token', async () => {
    const evil = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { ...auth, host: `evil.example:${server.port}` }, body: '{}' });
    expect(evil.status).toBe(403);
    const wrongPort = await request(server.port, { path: '/', headers: { host: '127.0.0.1:1' } });
    expect(wrongPort.status).toBe(403);
    const localhost = await request(server.port, { path: '/', headers: { host: `localhost:${server.port}` } });
    expect(localhost.status).toBe(200);
  });

  it('refuses a foreign Origin on API calls (403)', async () => {
    const r = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { ...auth, origin: 'http://evil.example' }, body: '{}' });
    expect(r.status).toBe(403);
    const same = await request(server.port, { method: 'POST', path: '/api/app.status', headers: { ...auth, origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('answers 404 for commands not in the contract and 405 for the wrong method', async () => {
    const unknown = await request(server.port, { method: 'POST', path: '/api/drafts.delete', headers: auth, body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const proto = await request(server.port, { method: 'POST', path: '/api/__proto__', headers: auth, body: '{}' });
    expect(proto.status).toBe(404);
    const get = await request(server.port, { method: 'GET', path: '/api/app.status', headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });

  it('answers 400 BAD_INPUT for malformed JSON without calling the core', async () => {
    const before = core.calls.length;
    const r = await request(server.port, { method: 'POST', path: '/api/app.status', headers: auth, body: '{"oops":' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(core.calls.length).toBe(before);
  });

  it('refuses a body declared larger than 210 MB with 413', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/import.files',
          headers: { ...auth, host: `127.0.0.1:${server.port}`, 'content-length': String(211 * 1024 * 1024) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"files":[');
    });
    expect(r).toBe(413);
  });

  it('streams core events as Server-Sent Events and unsubscribes when the client goes', async () => {
    const baseline = core.listenerCount();
    const frames = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port: server.port, path: `/api/events?token=${token}`, headers: { host: `127.0.0.1:${server.port}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': connected')) {
              core.emit('outbox.progress', { total: 2, done: 1, sent: 1, failed: 0, unknown: 0 });
              core.emit('data.changed', { views: ['drafts'] });
            }
            if (text.includes('event: data.changed') && text.includes(': keep-alive')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', (err) => {
        if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
      });
    });
    expect(frames).toContain('event: outbox.progress\ndata: {"total":2,"done":1,"sent":1,"failed":0,"unknown":0}\n\n');
    expect(frames).toContain('event: data.changed\ndata: {"views":["drafts"]}\n\n');
    await expect.poll(() => core.listenerCount()).toBe(baseline);
  });

  it('refuses the event stream without the token', async () => {
    const r = await request(server.port, { path: '/api/events' });
    expect(r.status).toBe(401);
  });

  it('serves index.html for / and assets with their content types, without a token', async () => {
    const index = await request(server.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('<title>Backorder Desk</title>');
    const js = await request(server.port, { path: '/assets/index-abc123.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    const css = await request(server.port, { path: '/assets/index-abc123.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const head = await request(server.port, { method: 'HEAD', path: '/' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await request(server.port, { path: '/missing.js' })).status).toBe(404);
    expect((await request(server.port, { method: 'POST', path: '/' })).status).toBe(405);
  });

  it('refuses directory traversal, encoded or not, and symlinks out of the build', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%2fsecret.txt', '/%00index.html', '/link.txt', '/assets', '/%E0%A4%A']) {
      const r = await request(server.port, { path: p });
      expect([400, 404], `${p} answered ${r.status}`).toContain(r.status);
      expect(r.body).not.toContain('outside the build');
    }
  });

  it('sends a strict Content-Security-Policy and other protective headers on every response', async () => {
    for (const r of [
      await request(server.port, { path: '/' }),
      await request(server.port, { method: 'POST', path: '/api/app.status', headers: auth, body: '{}' }),
      await request(server.port, { path: '/nope' }),
    ]) {
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("img-src 'self' data:");
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('closes open event streams on close()', async () => {
    const local = await startWebServer(fakeCore(), { host: '127.0.0.1', staticDir, token });
    const ended = new Promise<void>((resolve) => {
      http.get({ host: '127.0.0.1', port: local.port, path: `/api/events?token=${token}`, headers: { host: `127.0.0.1:${local.port}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.once('data', () => void local.close());
      });
    });
    await ended;
  });
});
