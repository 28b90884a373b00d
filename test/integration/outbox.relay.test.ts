import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Db } from '../../src/main/store/db';
import {
  getMessage,
  recoverInterrupted,
  retryMessages,
  sendApproved,
  claimNext,
  type SendProgress,
} from '../../src/main/outbox/outbox';
import { createSmtpTransport } from '../../src/main/outbox/smtp';
import { TransportError, type MessageTransport } from '../../src/main/outbox/transport';
import type { Channel, MessageStatus } from '../../src/shared/domain';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FROM = 'Corner Shop <orders@shop.example>';

let server: TestSmtpServer;
let dir: string;
let file: string;
let db: Db;
let seq = 0;
let clock = Date.parse('2026-03-02T10:00:00.000Z');
const now = () => new Date((clock += 1000)).toISOString();

beforeEach(async () => {
  server = await startSmtpServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-outbox-relay-'));
  file = path.join(dir, 'desk.db');
  db = openDatabase(file);
  db.prepare(
    "INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('gid://shopify/Order/1', '#1001', ?, 'USD', 4200, ?)",
  ).run(now(), now());
});
afterEach(async () => {
  db.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function add(status: MessageStatus = 'approved', channel: Channel = 'email'): number {
  const n = ++seq;
  const at = now();
  return Number(
    db
      .prepare(
        `INSERT INTO messages (order_id, step_id, channel, to_address, subject, body, facts, status, idempotency_key,
           message_id, produced_by, created_at, updated_at, approved_at)
         VALUES ('gid://shopify/Order/1', 'day7', ?, ?, ?, ?, '{}', ?, ?, ?, 'template', ?, ?, ?)`,
      )
      .run(
        channel,
        channel === 'email' ? `customer${n}@example.com` : '+15550100' + String(n).padStart(3, '0'),
        `Order #1001: update ${n}`,
        `Hello,\nmessage number ${n}.\n`,
        status,
        `${n}:day7:${channel}`,
        `<bd.r${n}.${process.pid}@shop.example>`,
        at,
        at,
        status === 'approved' ? at : null,
      ).lastInsertRowid,
  );
}
const addMany = (k: number) => Array.from({ length: k }, () => add());
const row = (id: number) => getMessage(db, id)!;

function smtp(socketTimeoutMs = 5_000): MessageTransport {
  return createSmtpTransport({ host: server.host, port: server.port, security: 'none', socketTimeoutMs });
}
const send = (d: Db = db, t: MessageTransport = smtp(), extra: Partial<Parameters<typeof sendApproved>[2]> = {}) =>
  sendApproved(d, { email: t }, { now, from: { email: FROM }, ...extra });

/** How many times the server received each Message-ID (content fully read, whatever it answered). */
function deliveries(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of server.received) m.set(r.messageId ?? '?', (m.get(r.messageId ?? '?') ?? 0) + 1);
  return m;
}

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sendApproved against a real SMTP server', () => {
  it('sends a batch of 5 approved messages once each, with our Message-ID, and records them as sent', async () => {
    const ids = addMany(5);
    const progress: SendProgress[] = [];
    const summary = await send(db, smtp(), { onProgress: (p) => progress.push(p) });

    expect(summary).toMatchObject({ total: 5, done: 5, sent: 5, failed: 0, unknown: 0, stopped: null });
    expect(server.accepted()).toHaveLength(5);
    for (const id of ids) {
      const m = row(id);
      expect(m).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
      expect(m.sentAt).not.toBeNull();
      expect(m.providerResponse).toMatch(/^250 /);
      const got = server.received.filter((r) => r.messageId === m.messageId);
      expect(got).toHaveLength(1);
      expect(got[0]!.rcptTo).toEqual([m.toAddress]);
    }
    expect(progress[0]).toEqual({ total: 5, done: 0, sent: 0, failed: 0, unknown: 0 });
    expect(progress.at(-1)).toEqual({ total: 5, done: 5, sent: 5, failed: 0, unknown: 0 });

    // A second run finds nothing to do.
    expect((await send()).done).toBe(0);
    expect(server.received).toHaveLength(5);
  });

  it('two concurrent calls on one connection share the run (single-flight); each message goes once', async () => {
    addMany(5);
    server.setDataDelay(20);
    const p1 = send();
    const p2 = send();
    expect(p2).toBe(p1);
    const [a, b] = await Promise.all([p1, p2]);
    expect(a.sent).toBe(5);
    expect(b).toBe(a);
    expect([...deliveries().values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('two connections to the same file relaying at once: each message delivered exactly once', async () => {
    const ids = addMany(10);
    server.setDataDelay(15);
    const other = openDatabase(file);
    try {
      const [a, b] = await Promise.all([send(db), send(other)]);
      expect(a.sent + b.sent).toBe(10);
      // Both relays really ran side by side (otherwise this test would prove nothing).
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
      const claimed = [...a.results, ...b.results].map((r) => r.id).sort((x, y) => x - y);
      expect(claimed).toEqual(ids);
      expect(deliveries().size).toBe(10);
      expect([...deliveries().values()].every((n) => n === 1)).toBe(true);
      expect(ids.map((id) => row(id).status)).toEqual(Array(10).fill('sent'));
    } finally {
      other.close();
    }
  });

  it('two processes relaying from the same file at once: each message delivered exactly once', async () => {
    const ids = addMany(20);
    server.setDataDelay(20);
    const script = writeRelayScript();
    const kids = [spawnRelay(script), spawnRelay(script)];
    try {
      await Promise.all(kids.map((k) => k.ready));
      for (const k of kids) k.child.send('go');
      const results = await Promise.all(kids.map((k) => k.done));
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(20);
      expect(results.every((r) => r.sent > 0)).toBe(true);
      expect(deliveries().size).toBe(20);
      expect([...deliveries().values()].every((n) => n === 1)).toBe(true);
      expect(ids.map((id) => row(id).status)).toEqual(Array(20).fill('sent'));
    } finally {
      for (const k of kids) k.child.kill('SIGKILL');
    }
  });

  it('RCPT refused with 550: that row failed with the reply, the others sent', async () => {
    const ids = addMany(5);
    const bad = row(ids[2]!);
    server.failNext({ at: 'rcpt', reply: 550, text: '5.1.1 Mailbox does not exist', rcptTo: bad.toAddress });
    const summary = await send();

    expect(summary).toMatchObject({ done: 5, sent: 4, failed: 1, unknown: 0, stopped: null });
    expect(row(bad.id)).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row(bad.id).lastError).toContain('550 5.1.1 Mailbox does not exist');
    for (const id of ids.filter((i) => i !== bad.id)) expect(row(id).status).toBe('sent');
    expect(server.accepted().map((r) => r.rcptTo[0])).not.toContain(bad.toAddress);
  });

  it('RCPT deferred with 451: failed and retryable; not sent again until retried, then sent once', async () => {
    const [id] = addMany(1) as [number];
    server.failNext({ at: 'rcpt', reply: 451, text: '4.7.1 Greylisted, try again' });
    expect((await send()).failed).toBe(1);
    expect(row(id).status).toBe('failed');
    expect(row(id).lastError).toMatch(/451 4\.7\.1 Greylisted/);

    expect((await send()).done).toBe(0); // failed rows wait for a person
    expect(server.received).toHaveLength(0);

    expect(retryMessages(db, [id], now()).changed).toEqual([id]);
    expect((await send()).sent).toBe(1);
    expect(row(id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(server.accepted()).toHaveLength(1);
  });

  it('connection dropped after DATA without a reply: unknown, and never resent by a later run', async () => {
    const ids = addMany(3);
    const victim = row(ids[1]!);
    server.failNext({ at: 'data', action: 'close', rcptTo: victim.toAddress });
    const summary = await send();

    // The batch stops at the unknown outcome (a server that drops us after the content is unwell);
    // the message after it stays approved and goes out with the next run.
    expect(summary).toMatchObject({ sent: 1, failed: 0, unknown: 1 });
    expect(summary.stopped?.reason).toBe('transport');
    expect(row(ids[2]!).status).toBe('approved');
    expect(row(victim.id).status).toBe('unknown');
    expect(row(victim.id).lastError).toMatch(/may or may not have been delivered/);
    expect(deliveries().get(victim.messageId)).toBe(1);

    expect(await send()).toMatchObject({ sent: 1, unknown: 0 });
    expect(row(ids[2]!).status).toBe('sent');
    await send();
    expect(deliveries().get(victim.messageId)).toBe(1);
    expect(row(victim.id).status).toBe('unknown');

    // Only a person's explicit "it did not go out" puts it back in the queue; it keeps its Message-ID.
    expect(retryMessages(db, [victim.id], now()).changed).toEqual([]);
    expect(retryMessages(db, [victim.id], now(), { confirmNotSent: true }).changed).toEqual([victim.id]);
    await send();
    expect(row(victim.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(deliveries().get(victim.messageId)).toBe(2);
  });

  it('no reply after DATA until the socket timeout: unknown', async () => {
    const [id] = addMany(1) as [number];
    server.failNext({ at: 'data', action: 'hang' });
    const summary = await send(db, smtp(300));
    expect(summary.unknown).toBe(1);
    expect(row(id).status).toBe('unknown');
  });

  it('recoverInterrupted: a row left "sending" becomes unknown and is not sent', async () => {
    const id = add('sending');
    const fresh = add('approved');
    expect(recoverInterrupted(db, now())).toEqual([id]);
    expect(row(id).status).toBe('unknown');
    await send();
    expect(server.received.map((r) => r.messageId)).toEqual([row(fresh).messageId]);
    expect(row(id).status).toBe('unknown');
  });

  it('a relay process killed mid-send leaves the row "sending"; recovery marks it unknown and nothing is resent', async () => {
    const [id] = addMany(1) as [number];
    server.failNext({ at: 'data', action: 'hang' });
    const kid = spawnRelay(writeRelayScript());
    try {
      await kid.ready;
      kid.child.send('go');
      await until(() => server.received.length === 1, 'the server to hold the content');
      kid.child.kill('SIGKILL');
      await kid.exited;
    } finally {
      kid.child.kill('SIGKILL');
    }
    expect(row(id).status).toBe('sending');

    expect(recoverInterrupted(db, now())).toEqual([id]);
    expect(row(id).status).toBe('unknown');
    expect((await send()).done).toBe(0);
    expect(server.received).toHaveLength(1);
  });

  it('drafts, discarded, failed, unknown and sent rows are never sent', async () => {
    const others = (['draft', 'discarded', 'failed', 'unknown', 'sent'] as const).map((s) => add(s));
    const ok = add('approved');
    const summary = await send();
    expect(summary.sent).toBe(1);
    expect(server.received.map((r) => r.messageId)).toEqual([row(ok).messageId]);
    expect(others.map((id) => row(id).status)).toEqual(['draft', 'discarded', 'failed', 'unknown', 'sent']);
  });

  it('server unreachable: the first message fails, the batch stops, the rest stay approved', async () => {
    const ids = addMany(4);
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));

    const summary = await send(db, createSmtpTransport({ host: '127.0.0.1', port, security: 'none' }));
    expect(summary).toMatchObject({ done: 1, failed: 1, total: 4 });
    expect(summary.stopped?.reason).toBe('transport');
    expect(row(ids[0]!).status).toBe('failed');
    expect(ids.slice(1).map((id) => row(id).status)).toEqual(['approved', 'approved', 'approved']);
  });

  it('an aborted signal stops before the next claim; the message in flight is finished and recorded', async () => {
    const ids = addMany(4);
    const ac = new AbortController();
    const summary = await send(db, smtp(), {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 1) ac.abort();
      },
    });
    expect(summary.done).toBe(1);
    expect(summary.stopped?.reason).toBe('aborted');
    expect(ids.map((id) => row(id).status)).toEqual(['sent', 'approved', 'approved', 'approved']);
  });

  it('messages of a channel without a transport or sender stay approved', async () => {
    const sms = add('approved', 'sms');
    const email = add('approved', 'email');
    const summary = await send();
    expect(summary.sent).toBe(1);
    expect(row(email).status).toBe('sent');
    expect(row(sms)).toMatchObject({ status: 'approved', attempts: 0 });
  });

  it('a transport throwing something that is not a TransportError → unknown (outcome cannot be told)', async () => {
    const id = add();
    const broken: MessageTransport = {
      channel: 'email',
      send: () => Promise.reject(new Error('socket exploded')),
    };
    const summary = await send(db, broken);
    expect(summary.unknown).toBe(1);
    expect(row(id).status).toBe('unknown');
    expect(row(id).lastError).toMatch(/socket exploded/);
  });

  it('a definite answer arriving after a start-up recovery marked the row unknown still lands', async () => {
    const id = add();
    const slow: MessageTransport = {
      channel: 'email',
      send: async () => {
        // Another start-up ran recovery while this send was in flight.
        recoverInterrupted(db, now());
        return { providerId: 'x', response: '250 OK' };
      },
    };
    await send(db, slow);
    expect(row(id).status).toBe('sent');
  });

  it('an outcome is not written over a newer attempt (fenced by attempts)', async () => {
    const id = add();
    const slow: MessageTransport = {
      channel: 'email',
      send: async () => {
        // Meanwhile: recovery, a person confirms it did not go out, another relay claims attempt 2.
        recoverInterrupted(db, now());
        retryMessages(db, [id], now(), { confirmNotSent: true });
        claimNext(db, now());
        throw new TransportError('rejected', 'late refusal of attempt 1');
      },
    };
    const summary = await send(db, slow);
    expect(summary.results[0]).toMatchObject({ id, status: 'failed', recorded: false });
    expect(row(id)).toMatchObject({ status: 'sending', attempts: 2 });
  });

  it('a transport registered under the wrong channel is refused', async () => {
    add();
    await expect(
      sendApproved(db, { sms: smtp() }, { now, from: { sms: '+15550100' } }),
    ).rejects.toThrow(/registered for sms/);
  });
});

// --- a relay in another process (tsx), on the same database file and SMTP server -----------------

function writeRelayScript(): string {
  const script = path.join(dir, 'relay-child.ts');
  const src = (p: string) => JSON.stringify(path.join(ROOT, p));
  fs.writeFileSync(
    script,
    `
import { openDatabase } from ${src('src/main/store/db.ts')};
import { sendApproved } from ${src('src/main/outbox/outbox.ts')};
import { createSmtpTransport } from ${src('src/main/outbox/smtp.ts')};
const [file, port] = process.argv.slice(2);
const db = openDatabase(file!);
const email = createSmtpTransport({ host: '127.0.0.1', port: Number(port), security: 'none', socketTimeoutMs: 30000 });
process.on('message', async () => {
  const s = await sendApproved(db, { email }, { now: () => new Date().toISOString(), from: { email: ${JSON.stringify(FROM)} } });
  process.send!({ sent: s.sent, ids: s.results.map((r) => r.id) }, () => process.exit(0));
});
process.send!('ready');
`,
  );
  return script;
}

interface Kid {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ sent: number; ids: number[] }>;
  exited: Promise<void>;
}

function spawnRelay(script: string): Kid {
  const child = fork(script, [file, String(server.port)], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`unexpected ${String(m)}`))));
    child.once('exit', (code) => reject(new Error(`relay child exited early (${code})`)));
  });
  const done = ready.then(
    () =>
      new Promise<{ sent: number; ids: number[] }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { sent: number; ids: number[] }));
        child.once('exit', (code) => reject(new Error(`relay child exited without a result (${code})`)));
      }),
  );
  // Avoid unhandled rejections for kids that are killed on purpose.
  done.catch(() => undefined);
  ready.catch(() => undefined);
  return { child, ready, done, exited };
}
