/**
 * Supplier mail the rules cannot read, offered to a local model: the real adapter
 * (src/main/eta/model-extract.ts) and the real validation turn the model's field answers into a
 * quote that a person confirms (source 'model', confidence capped under the review threshold); an
 * answer quoting a sentence that is not in the mail is refused and the rules' "unreadable" stands.
 * The model is a stand-in answering fixed fields: what is under test is what the app does with them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/app/core';
import { quotesFromSupplierMail } from '../../src/main/eta/mail-quotes';
import { modelEtaExtractor, type FieldExtractor } from '../../src/main/eta/model-extract';
import type { InboundMailEvent } from '../../src/main/gmail/ingest';
import type { ParsedMail } from '../../src/main/mail/types';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { FakeGoogleOAuth } from '../helpers/fake-google-oauth';
import { call, gmailCore, importMugStore } from '../helpers/gmail-core';

let fake: FakeGmail;
let oauth: FakeGoogleOAuth;
let core: Core;
const now = '2026-11-02T16:00:00.000Z';
const german = 'Die Tassen MUG-BLK kommen voraussichtlich Anfang Dezember.';

function event(text: string, id: string): InboundMailEvent {
  const mail: ParsedMail = { from: 'orders@kiln.example', fromName: '', to: [], subject: 'Lieferung', date: now, text, newText: text, forwarded: [], attachments: [], messageId: `<${id}@kiln.example>`, inReplyTo: null, references: [] };
  const supplierId = String(core.db.prepare("SELECT id FROM suppliers WHERE name = 'Kiln Works'").pluck().get());
  return { mailId: 1, mail, origin: { source: 'gmail', gmailId: id, threadId: id }, route: { kind: 'supplier', supplier: { id: supplierId, name: 'Kiln Works' }, orderId: null, backorderId: null, reason: 'test' }, receivedAt: now };
}
const answering = (fields: Record<string, string>): FieldExtractor & { asked: string[] } => {
  const asked: string[] = [];
  return { asked, extract: async (text) => (asked.push(text), fields) };
};

beforeEach(async () => {
  fake = await startFakeGmail();
  oauth = await new FakeGoogleOAuth().start();
  core = gmailCore(fake, oauth, { now: () => now }).core;
  await importMugStore(core);
  await call(core, 'suppliers.list', {});
});
afterEach(async () => {
  core.close();
  await Promise.all([fake.close(), oauth.close()]);
});

describe('supplier text the rules cannot read, read by a local model', () => {
  it('a valid answer becomes a model quote for a person to confirm', async () => {
    const model = answering({ kind: 'range', start: '2026-12-01', end: '2026-12-10', isShipDate: 'false', confidence: '0.9', sentence: german });
    const r = await quotesFromSupplierMail(core.db, event(german, 'm1'), now, modelEtaExtractor(model));
    expect(model.asked).toEqual([german]);
    expect(r).toMatchObject({ quotes: 1, tasks: 1 });
    const [q] = await call(core, 'eta.quotes', {});
    expect(q).toMatchObject({ source: 'model', rule: 'model', kind: 'range', start: '2026-12-01', end: '2026-12-10', sku: 'MUG-BLK', sentence: german });
    expect(q!.confidence).toBeLessThan(0.6);
  });

  it('an answer whose sentence is not in the mail is refused; the mail still goes to a person', async () => {
    const model = answering({ kind: 'date', start: '2026-11-20', end: '', isShipDate: 'true', confidence: '1', sentence: 'Your order ships on November 20.' });
    const r = await quotesFromSupplierMail(core.db, event(german, 'm2'), now, modelEtaExtractor(model));
    expect(r).toMatchObject({ quotes: 1, tasks: 1 });
    const [q] = await call(core, 'eta.quotes', {});
    expect(q).toMatchObject({ source: 'email', rule: 'none', kind: 'unknown', start: null });
    expect(q!.confidence).toBeLessThan(0.6);
  });

  it('a text the rules read is never sent to the model', async () => {
    const model = answering({});
    await quotesFromSupplierMail(core.db, event('MUG-BLK ships on Nov 16.', 'm3'), now, modelEtaExtractor(model));
    expect(model.asked).toEqual([]);
  });
});
