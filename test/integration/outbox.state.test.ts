import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../src/main/store/db';
import {
  approveMessages,
  claimNext,
  confirmSent,
  discardMessages,
  editDraft,
  getMessage,
  recoverInterrupted,
  retryMessages,
  unapproveMessages,
} from '../../src/main/outbox/outbox';
import type { Channel, MessageStatus } from '../../src/shared/domain';

// A real SQLite file per test, rows written directly (the outbox does not care who drafted them).
let dir: string;
let file: string;
let db: Db;
let seq = 0;
const NOW = '2026-03-02T10:00:00.000Z';
const LATER = '2026-03-02T10:05:00.000Z';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-outbox-state-'));
  file = path.join(dir, 'desk.db');
  db = openDatabase(file);
  db.prepare(
    "INSERT INTO orders (id, name, created_at, currency, total_minor, updated_at) VALUES ('gid://shopify/Order/1', '#1001', ?, 'USD', 4200, ?)",
  ).run(NOW, NOW);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function add(status: MessageStatus, channel: Channel = 'email'): number {
  const n = ++seq;
  return Number(
    db
      .prepare(
        `INSERT INTO messages (order_id, step_id, channel, to_address, subject, body, facts, status, idempotency_key,
           message_id, produced_by, created_at, updated_at)
         VALUES ('gid://shopify/Order/1', 'day3', ?, ?, ?, 'Body', '{}', ?, ?, ?, 'template', ?, ?)`,
      )
      .run(channel, `c${n}@example.com`, `Subject ${n}`, status, `${n}:day3:${channel}`, `<bd.s${n}@shop.example>`, NOW, NOW)
      .lastInsertRowid,
  );
}
const statusOf = (id: number) => getMessage(db, id)!.status;

describe('outbox state machine', () => {
  it('approve: only drafts; a second click changes nothing and says why', () => {
    const d = add('draft');
    const s = add('sent');
    const first = approveMessages(db, [d, s, 999], NOW);
    expect(first.changed).toEqual([d]);
    expect(first.unchanged.map((u) => [u.id, u.status])).toEqual([
      [s, 'sent'],
      [999, null],
    ]);
    expect(getMessage(db, d)).toMatchObject({ status: 'approved', approvedAt: NOW });
    expect(approveMessages(db, [d], LATER).unchanged[0]).toMatchObject({ id: d, reason: 'already approved' });
    expect(getMessage(db, d)!.approvedAt).toBe(NOW);
  });

  it('rejects ids that are not positive integers', () => {
    expect(() => approveMessages(db, [0], NOW)).toThrow(/positive integer/);
    expect(() => approveMessages(db, [1.5], NOW)).toThrow(/positive integer/);
  });

  it('editing an approved message is refused (CONFLICT); take the approval back first, then edit', () => {
    const id = add('draft');
    approveMessages(db, [id], NOW);
    expect(() => editDraft(db, id, { subject: 'New', body: 'New body' }, LATER)).toThrow(/approved/);
    expect(statusOf(id)).toBe('approved');
    expect(getMessage(db, id)!.subject).toBe(`Subject ${seq}`);

    expect(unapproveMessages(db, [id], LATER).changed).toEqual([id]);
    const edited = editDraft(db, id, { subject: '  New  ', body: 'New body' }, LATER);
    expect(edited).toMatchObject({ status: 'draft', subject: 'New', body: 'New body', approvedAt: null, updatedAt: LATER });
  });

  it('editing a failed message returns it to draft; sent/unknown/sending/discarded are refused', () => {
    const f = add('failed');
    expect(editDraft(db, f, { subject: 'Fixed', body: 'Fixed body' }, LATER).status).toBe('draft');
    for (const st of ['sent', 'unknown', 'sending', 'discarded'] as const) {
      const id = add(st);
      expect(() => editDraft(db, id, { subject: 'x', body: 'y' }, LATER)).toThrow(/only drafts and failed/);
      expect(statusOf(id)).toBe(st);
    }
  });

  it('editDraft validates its input and reports a missing message', () => {
    const d = add('draft');
    expect(() => editDraft(db, d, { subject: 'two\r\nBcc: x@y', body: 'b' }, LATER)).toThrow(/single line/);
    expect(() => editDraft(db, d, { subject: ' ', body: 'b' }, LATER)).toThrow(/subject is empty/);
    expect(() => editDraft(db, d, { subject: 's', body: '  ' }, LATER)).toThrow(/text is empty/);
    expect(() => editDraft(db, 4242, { subject: 's', body: 'b' }, LATER)).toThrow(/does not exist/);
  });

  it('discard: draft, approved, failed, unknown; never sending or sent', () => {
    const ok = (['draft', 'approved', 'failed', 'unknown'] as const).map((s) => add(s));
    const no = (['sending', 'sent'] as const).map((s) => add(s));
    const r = discardMessages(db, [...ok, ...no], NOW);
    expect(r.changed).toEqual(ok);
    expect(r.unchanged.map((u) => u.id)).toEqual(no);
    expect(no.map(statusOf)).toEqual(['sending', 'sent']);
  });

  it('retry: failed → approved; unknown only with confirmNotSent', () => {
    const f = add('failed');
    const u = add('unknown');
    const s = add('sent');
    const r = retryMessages(db, [f, u, s], LATER);
    expect(r.changed).toEqual([f]);
    expect(r.unchanged.find((x) => x.id === u)!.reason).toMatch(/confirmNotSent/);
    expect(statusOf(u)).toBe('unknown');
    expect(getMessage(db, f)).toMatchObject({ status: 'approved', approvedAt: LATER });

    expect(retryMessages(db, [u], LATER, { confirmNotSent: true }).changed).toEqual([u]);
    expect(statusOf(u)).toBe('approved');
    expect(statusOf(s)).toBe('sent');
  });

  it('confirmSent: unknown → sent only', () => {
    const u = add('unknown');
    const f = add('failed');
    expect(confirmSent(db, [u, f], LATER).changed).toEqual([u]);
    expect(getMessage(db, u)).toMatchObject({ status: 'sent', sentAt: LATER });
    expect(statusOf(f)).toBe('failed');
  });

  it('claimNext: oldest approved first, counts the attempt, skips every other status', () => {
    add('draft');
    add('failed');
    const a1 = add('approved');
    add('unknown');
    const a2 = add('approved');
    const c1 = claimNext(db, NOW)!;
    expect(c1).toMatchObject({ id: a1, status: 'sending', attempts: 1, updatedAt: NOW });
    expect(claimNext(db, NOW)!.id).toBe(a2);
    expect(claimNext(db, NOW)).toBeNull();
  });

  it('claimNext honours the channel filter', () => {
    const sms = add('approved', 'sms');
    const email = add('approved', 'email');
    expect(claimNext(db, NOW, ['email'])!.id).toBe(email);
    expect(claimNext(db, NOW, ['email'])).toBeNull();
    expect(claimNext(db, NOW, [])).toBeNull();
    expect(statusOf(sms)).toBe('approved');
  });

  it('two connections to the same file, claiming in turns, never get the same row', () => {
    const other = openDatabase(file);
    try {
      const ids = Array.from({ length: 30 }, () => add('approved'));
      const got: number[] = [];
      for (let turn = 0; ; turn++) {
        const row = claimNext(turn % 2 ? other : db, NOW);
        if (!row) break;
        got.push(row.id);
      }
      expect(got.sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(got).size).toBe(30);
    } finally {
      other.close();
    }
  });

  it('recoverInterrupted turns every sending row into unknown with an explanation, and touches nothing else', () => {
    const s1 = add('sending');
    const a = add('approved');
    const s2 = add('sending');
    expect(recoverInterrupted(db, LATER)).toEqual([s1, s2]);
    const m = getMessage(db, s1)!;
    expect(m.status).toBe('unknown');
    expect(m.updatedAt).toBe(LATER);
    expect(m.lastError).toMatch(/stopped while this message was being sent.*started 2026-03-02T10:00:00.000Z/);
    expect(statusOf(a)).toBe('approved');
    expect(recoverInterrupted(db, LATER)).toEqual([]);
  });
});
