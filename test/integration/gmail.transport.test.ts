import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/main/store/db';
import { createGmailTransport, recoverGmailOutbox, type GmailSendMode } from '../../src/main/gmail/transport';
import { sendApproved } from '../../src/main/outbox/outbox';
import { TransportError } from '../../src/main/outbox/transport';
import { parseMime } from '../../src/main/mail/parse';
import { syncGmail } from '../../src/main/gmail/sync';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { addMessage, apiFor, eml, seed, tmpDb } from '../helpers/gmail-db';

let fake: FakeGmail;
let db: Db;
let backorderId: number;
const now = (): string => new Date().toISOString();

beforeEach(async () => {
  fake = await startFakeGmail({ token: 'test-access-token' });
  db = tmpDb();
  backorderId = seed(db).backorderId;
});
afterEach(async () => {
  db.close();
  await fake.close();
});

const transport = (mode: GmailSendMode = 'direct', dailyCap = 500) => createGmailTransport({ db, api: apiFor(fake), now, dailyCap, mode });
const status = (id: number): string => db.prepare('SELECT status FROM messages WHERE id = ?').pluck().get(id) as string;
const relay = (t: ReturnType<typeof transport>) => sendApproved(db, { email: t }, { now, from: { email: 'Shop <shop@example.com>' } });
const sentCopies = (messageId: string) =>
  [...fake.messages.values()].filter((m) => m.labelIds.includes('SENT') && m.raw.toString().includes(`Message-ID: ${messageId}`));

describe('Gmail transport (outbox channel) against the fake Gmail', () => {
  for (const mode of ['direct', 'draft'] as const) {
    it(`${mode}: sends RFC 822 with our Message-ID through ${mode === 'direct' ? 'messages.send' : 'drafts.create + drafts.send'}`, async () => {
      const m = addMessage(db, 'approved', backorderId);
      const r = await relay(transport(mode));
      expect(r.sent).toBe(1);
      expect(status(m.id)).toBe('sent');
      const copies = sentCopies(m.messageId);
      expect(copies).toHaveLength(1);
      const parsed = await parseMime(copies[0]!.raw);
      expect(parsed.messageId).toBe(m.messageId);
      expect(parsed.to).toEqual(['jane@example.com']);
      expect(parsed.text).toContain('your tent is on its way');
      expect(fake.count('POST', mode === 'direct' ? /^messages\/send$/ : /^drafts\/send$/)).toBe(1);
      expect(db.prepare('SELECT state, gmail_id FROM gmail_outbound WHERE message_id = ?').get(m.messageId)).toEqual({ state: 'sent', gmail_id: copies[0]!.id });
    });
  }

  it("threads a message into the customer's thread: threadId, In-Reply-To, References", async () => {
    const first = addMessage(db, 'sent', backorderId, { sentAt: now() });
    const reply = fake.deliver(
      eml({ from: 'Jane <jane@example.com>', subject: 'Re: Order #1001', body: 'When?', messageId: '<jr@example.com>', inReplyTo: first.messageId }),
    );
    await syncGmail({ db, api: apiFor(fake), now, days: 30 });
    const m = addMessage(db, 'approved', backorderId);
    await relay(transport());
    expect(fake.count('POST', /^messages\/send$/)).toBe(1);
    const copy = sentCopies(m.messageId)[0]!;
    expect(copy.threadId).toBe(reply.threadId);
    const parsed = await parseMime(copy.raw);
    expect(parsed.inReplyTo).toBe('<jr@example.com>');
    expect(parsed.references).toEqual([first.messageId, '<jr@example.com>']);
  });

  it('a lost answer after messages.send is settled by looking the message up in Sent (rfc822msgid:) — no second send', async () => {
    const m = addMessage(db, 'approved', backorderId);
    fake.dropNext(/^messages\/send$/);
    const r = await relay(transport());
    expect(r.sent).toBe(1);
    expect(status(m.id)).toBe('sent');
    expect(sentCopies(m.messageId)).toHaveLength(1);
    expect(fake.requests.some((q) => q.path === 'messages' && /^rfc822msgid:/.test(q.query.q ?? ''))).toBe(true);
  });

  it('a lost answer with the message not in Sent is unknown, and is never resent by the relay', async () => {
    const m = addMessage(db, 'approved', backorderId);
    fake.dropNext(/^messages\/send$/);
    // Sent lookup fails too (Gmail search lag / outage): the outcome cannot be known.
    fake.fail({ path: /^messages$/, status: 400 });
    const r = await relay(transport());
    expect(r.unknown).toBe(1);
    expect(status(m.id)).toBe('unknown');
    await relay(transport());
    expect(fake.count('POST', /^messages\/send$/)).toBe(1);
  });

  it('after a crash: recovery marks sent what is in Sent, failed what is still a draft, and leaves the rest unknown', async () => {
    const inSent = addMessage(db, 'unknown', backorderId);
    const asDraft = addMessage(db, 'unknown', backorderId);
    const nowhere = addMessage(db, 'unknown', backorderId);
    const recorded = addMessage(db, 'unknown', backorderId);
    const t = now();
    const ins = db.prepare("INSERT INTO gmail_outbound (message_id, draft_id, gmail_id, state, created_at) VALUES (?, ?, ?, ?, ?)");
    // The crash hit after Gmail sent this one (it is in Sent) but before anything was recorded.
    fake.deliver(eml({ from: 'shop@example.com', to: 'jane@example.com', subject: 's', body: 'b', messageId: inSent.messageId }), { labelIds: ['SENT'] });
    ins.run(inSent.messageId, null, null, 'sending', t);
    // This one's draft was created and recorded, then the crash came before drafts.send.
    const api = apiFor(fake);
    const d = await api.createDraft(Buffer.from(eml({ from: 'shop@example.com', subject: 's', body: 'b', messageId: asDraft.messageId })).toString('base64url'));
    ins.run(asDraft.messageId, d.id, null, 'drafted', t);
    ins.run(nowhere.messageId, null, null, 'sending', t);
    ins.run(recorded.messageId, null, 'abc', 'sent', t);
    const sendsBefore = fake.count('POST', /send$/);
    const r = await recoverGmailOutbox(db, api, now, 'draft');
    expect(r.sent.sort()).toEqual([inSent.id, recorded.id].sort());
    expect(r.notSent).toEqual([asDraft.id]);
    expect(r.stillUnknown).toEqual([nowhere.id]);
    expect([status(inSent.id), status(asDraft.id), status(nowhere.id), status(recorded.id)]).toEqual(['sent', 'failed', 'unknown', 'sent']);
    expect(fake.count('POST', /send$/)).toBe(sendsBefore);
    // A person retries the failed one: the same draft is sent, no second draft is made.
    db.prepare("UPDATE messages SET status = 'approved' WHERE id = ?").run(asDraft.id);
    const draftsBefore = fake.count('POST', /^drafts$/);
    await relay(transport('draft'));
    expect(status(asDraft.id)).toBe('sent');
    expect(fake.count('POST', /^drafts$/)).toBe(draftsBefore);
    expect(sentCopies(asDraft.messageId)).toHaveLength(1);
  });

  it('a Message-ID already sent through Gmail is never sent again, even if its row was reset', async () => {
    const m = addMessage(db, 'approved', backorderId);
    await relay(transport());
    db.prepare("UPDATE messages SET status = 'approved' WHERE id = ?").run(m.id);
    await relay(transport());
    expect(fake.count('POST', /^messages\/send$/)).toBe(1);
    expect(status(m.id)).toBe('sent');
  });

  it('the daily send cap stops the batch with a clear message and sends nothing more', async () => {
    const ids = [1, 2, 3, 4].map(() => addMessage(db, 'approved', backorderId).id);
    const r = await relay(transport('direct', 2));
    expect(r.sent).toBe(2);
    expect(r.stopped?.reason).toBe('transport');
    expect(r.stopped?.message).toMatch(/Daily Gmail send cap reached: 2 messages in the last 24 hours \(limit 2/);
    expect(fake.count('POST', /^messages\/send$/)).toBe(2);
    expect(ids.map(status).filter((s) => s === 'approved')).toHaveLength(1);
  });

  it('classifies Gmail answers: 400 → rejected, 429 after backoff → temporary (batch stops), 500 on send → not retried', async () => {
    const t = transport();
    const msg = { messageId: '<x1@shop.example>', from: 'shop@example.com', to: 'jane@example.com', subject: 's', text: 't' };
    fake.fail({ path: /^messages\/send$/, status: 400, reason: 'invalidArgument' });
    await expect(t.send(msg)).rejects.toMatchObject({ kind: 'rejected' });
    fake.fail({ path: /^messages\/send$/, status: 429, times: 10 });
    const e = (await t.send({ ...msg, messageId: '<x2@shop.example>' }).catch((x: unknown) => x)) as TransportError;
    expect(e).toBeInstanceOf(TransportError);
    expect(e.kind).toBe('temporary');
    expect(e.scope).toBe('connection');
    fake.clearFaults();
    fake.fail({ path: /^messages\/send$/, status: 500 });
    const before = fake.count('POST', /^messages\/send$/);
    await expect(t.send({ ...msg, messageId: '<x3@shop.example>' })).rejects.toMatchObject({ kind: 'unknown' });
    expect(fake.count('POST', /^messages\/send$/) - before).toBe(1);
  });
});
