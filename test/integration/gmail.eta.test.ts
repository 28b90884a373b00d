/**
 * Supplier mail end to end, through the whole core: the fake Gmail server delivers a supplier's
 * mail, `gmail.syncNow` (real googleapis client, token refreshed at the fake Google token endpoint)
 * stores and routes it, the quote is read from the body (quoted history stripped) or from a CSV or
 * EDI attachment, and the scheduler tick that follows the sync moves the backorder's ETA range.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { FakeGoogleOAuth } from '../helpers/fake-google-oauth';
import { eml } from '../helpers/gmail-db';
import { call, gmailCore, importMugStore, type GmailCoreFixture } from '../helpers/gmail-core';

let fake: FakeGmail;
let oauth: FakeGoogleOAuth;
let fx: GmailCoreFixture;
let clock = '2026-11-02T16:00:00.000Z';

beforeEach(async () => {
  clock = '2026-11-02T16:00:00.000Z';
  fake = await startFakeGmail();
  oauth = await new FakeGoogleOAuth().start();
  fx = gmailCore(fake, oauth, { now: () => clock });
  await importMugStore(fx.core);
  await call(fx.core, 'suppliers.list', {}); // the supplier "Kiln Works" from the products' Vendor
  await call(fx.core, 'suppliers.update', { name: 'Kiln Works', emails: ['orders@kiln.example'], transitDays: 3, dateLocale: 'en-US' });
});
afterEach(async () => {
  fx.core.close();
  await fake.close();
  await oauth.close();
});

const eta = (): { start_date: string | null; end_date: string | null; method: string } =>
  fx.core.db.prepare('SELECT start_date, end_date, method FROM backorder_eta').get() as { start_date: string | null; end_date: string | null; method: string };

describe('supplier mail from Gmail becomes quotes and moves the backorder ETA', () => {
  it('a quote, then a delay relative to it (quoted history ignored): stored with source, confidence and sentence; the range moves', async () => {
    fake.deliver(eml({ from: 'Kiln Works <orders@kiln.example>', subject: 'PO 5512 confirmation', date: 'Mon, 2 Nov 2026 10:00:00 -0500', messageId: '<k1@kiln.example>', body: 'Hello,\n\nPO 5512: MUG-BLK ships on Nov 16.\n\nKiln Works' }));
    const first = await call(fx.core, 'gmail.syncNow', {});
    expect(first).toMatchObject({ supplier: 1, quotes: 1 });
    const [q1] = await call(fx.core, 'eta.quotes', {});
    expect(q1).toMatchObject({ source: 'email', sourceRef: '<k1@kiln.example>', sku: 'MUG-BLK', supplierName: 'Kiln Works', start: '2026-11-16', isShipDate: true, arrivalStart: '2026-11-19', poNumber: '5512', status: 'active' });
    expect(q1!.confidence).toBeGreaterThanOrEqual(0.6);
    expect(q1!.sentence).toBe('PO 5512: MUG-BLK ships on Nov 16.');
    const before = eta();
    expect(before).toMatchObject({ start_date: '2026-11-19', end_date: '2026-11-19' });

    clock = '2026-11-04T16:00:00.000Z';
    fake.deliver(eml({
      from: 'orders@kiln.example', subject: 'Re: PO 5512 confirmation', date: 'Wed, 4 Nov 2026 09:00:00 -0500', messageId: '<k2@kiln.example>',
      body: 'Hi,\n\nSorry, MUG-BLK has been pushed back 2 weeks.\n\nOn Mon, Nov 2, 2026 at 10:00 AM Kiln Works <orders@kiln.example> wrote:\n> PO 5512: MUG-BLK ships on Nov 16.\n> Kiln Works',
    }));
    const second = await call(fx.core, 'gmail.syncNow', {});
    expect(second).toMatchObject({ mode: 'partial', supplier: 1, quotes: 1 });
    const quotes = await call(fx.core, 'eta.quotes', {});
    expect(quotes[0]).toMatchObject({ sourceRef: '<k2@kiln.example>', rule: 'delay-relative', start: '2026-11-30', isShipDate: true, arrivalStart: '2026-12-03', status: 'active' });
    expect(quotes[0]!.sentence).toBe('Sorry, MUG-BLK has been pushed back 2 weeks.');
    expect(quotes[1]).toMatchObject({ sourceRef: '<k1@kiln.example>', status: 'superseded' });
    // The tick after the sync moved the customer-facing range and recorded the change.
    expect(eta()).toMatchObject({ start_date: '2026-12-03', end_date: '2026-12-03' });
    expect(eta().start_date).not.toBe(before.start_date);
    expect(fx.core.db.prepare("SELECT count(*) FROM backorder_events WHERE kind = 'eta_changed'").pluck().get()).toBe(1);
  });

  it('a first sync reads the supplier mail of the last days oldest first, so a delay counts from the quote before it', async () => {
    // Delivered in this order, listed by Gmail newest first.
    fake.deliver(eml({ from: 'orders@kiln.example', subject: 'PO 5512', date: 'Mon, 2 Nov 2026 10:00:00 -0500', messageId: '<o1@kiln.example>', body: 'PO 5512: MUG-BLK ships on Nov 16.' }), { internalDate: Date.parse('2026-11-02T15:00:00Z') });
    fake.deliver(eml({ from: 'orders@kiln.example', subject: 'Re: PO 5512', date: 'Wed, 4 Nov 2026 09:00:00 -0500', messageId: '<o2@kiln.example>', body: 'Sorry, MUG-BLK has been pushed back 2 weeks.' }), { internalDate: Date.parse('2026-11-04T14:00:00Z') });
    clock = '2026-11-04T16:00:00.000Z';
    const r = await call(fx.core, 'gmail.syncNow', {});
    expect(r).toMatchObject({ mode: 'full', supplier: 2, quotes: 2 });
    const [delay, first] = await call(fx.core, 'eta.quotes', {});
    expect(first).toMatchObject({ sourceRef: '<o1@kiln.example>', start: '2026-11-16', status: 'superseded' });
    expect(delay).toMatchObject({ sourceRef: '<o2@kiln.example>', rule: 'delay-relative', start: '2026-11-30', status: 'active' });
    expect(delay!.confidence).toBeGreaterThanOrEqual(0.6);
    expect(eta()).toMatchObject({ start_date: '2026-12-03' });
  });

  it('a sync that fails after storing a batch still reads that batch for quotes (stored mail is never handed over twice)', async () => {
    const broken = fake.deliver(eml({ from: 'orders@kiln.example', subject: 'old', date: 'Sun, 1 Nov 2026 10:00:00 -0500', body: 'old' }), { internalDate: Date.parse('2026-11-01T15:00:00Z') });
    for (let i = 0; i < 49; i++) fake.deliver(eml({ from: 'orders@kiln.example', subject: `Thanks ${i}`, date: 'Mon, 2 Nov 2026 09:00:00 -0500', body: 'Thank you for your business.' }), { internalDate: Date.parse('2026-11-02T14:00:00Z') });
    fake.deliver(eml({ from: 'orders@kiln.example', subject: 'PO 5512', date: 'Mon, 2 Nov 2026 10:00:00 -0500', messageId: '<b1@kiln.example>', body: 'PO 5512: MUG-BLK ships on Nov 16.' }), { internalDate: Date.parse('2026-11-02T15:00:00Z') });
    fake.fail({ path: new RegExp(`^messages/${broken.id}$`), status: 400, reason: 'invalidArgument' });
    const r = await fx.core.dispatch('gmail.syncNow', {});
    expect(r.ok).toBe(false);
    expect(fx.core.db.prepare("SELECT count(*) FROM inbound_mail WHERE kind = 'supplier'").pluck().get()).toBe(50);
    expect(await call(fx.core, 'eta.quotes', {})).toEqual([expect.objectContaining({ sourceRef: '<b1@kiln.example>', start: '2026-11-16' })]);
  });

  it('a CSV attachment goes to the sheet importer and an EDI 856 attachment to the EDI importer; unreadable text becomes a task', async () => {
    const multipart = (id: string, parts: { name: string; type: string; body: string }[], text: string): string =>
      [
        'From: orders@kiln.example', 'To: shop@example.com', `Subject: Open orders ${id}`, 'Date: Mon, 2 Nov 2026 10:00:00 -0500', `Message-ID: <${id}@kiln.example>`,
        'Content-Type: multipart/mixed; boundary="zz"', '', '--zz', 'Content-Type: text/plain; charset=utf-8', '', text,
        ...parts.flatMap((p) => ['--zz', `Content-Type: ${p.type}; name="${p.name}"`, `Content-Disposition: attachment; filename="${p.name}"`, '', p.body]),
        '--zz--', '',
      ].join('\r\n');
    fake.deliver(multipart('csv1', [{ name: 'open-orders.csv', type: 'text/csv', body: 'Item,Qty,ETA\r\nMUG-BLK,24,12/10/2026\r\nMUG-RED,5,12/11/2026' }], 'Please find our open order report attached.'));
    const r = await call(fx.core, 'gmail.syncNow', {});
    expect(r.quotes).toBe(1);
    const [q] = await call(fx.core, 'eta.quotes', {});
    expect(q).toMatchObject({ source: 'sheet', sku: 'MUG-BLK', start: '2026-12-10', isShipDate: false });
    expect(q!.sentence).toMatch(/open-orders\.csv line 2: MUG-BLK, 24 units/);
    // The mapping it guessed is saved on the supplier for the next sheet.
    const supplier = (await call(fx.core, 'suppliers.list', {})).find((s) => s.name === 'Kiln Works');
    expect(supplier?.sheetMapping).toMatchObject({ sku: 'Item', date: 'ETA', quantity: 'Qty' });
    // The unknown SKU of line 3 is a task naming the file, line and column.
    const tasks = await call(fx.core, 'tasks.list', { status: 'open' });
    expect(tasks.find((t) => /open-orders\.csv line 3, column "Item": no product variant has the SKU "MUG-RED"/.test(t.reason))).toBeTruthy();

    const x12 = [
      'ISA*00*          *00*          *ZZ*KILN           *ZZ*SHOP           *261105*1200*U*00401*000000101*0*P*>~',
      'GS*SH*KILN*SHOP*20261105*1200*101*X*004010~', 'ST*856*0001~', 'BSN*00*SN1*20261105*1200~', 'DTM*011*20261120~', 'DTM*017*20261124~',
      'HL*1**S~', 'HL*2*1*O~', 'PRF*5512~', 'HL*3*2*I~', 'LIN**SK*MUG-BLK~', 'SN1**24*EA~', 'SE*11*0001~', 'GE*1*101~', 'IEA*1*000000101~',
    ].join('\n');
    clock = '2026-11-05T16:00:00.000Z';
    fake.deliver(multipart('edi1', [{ name: 'asn.856', type: 'application/edi-x12', body: x12 }], 'ASN attached.'));
    const r2 = await call(fx.core, 'gmail.syncNow', {});
    expect(r2.quotes).toBeGreaterThanOrEqual(1);
    const edi = (await call(fx.core, 'eta.quotes', {})).find((x) => x.source === 'edi');
    expect(edi).toMatchObject({ sku: 'MUG-BLK', poNumber: '5512' });

    clock = '2026-11-06T16:00:00.000Z';
    fake.deliver(eml({ from: 'orders@kiln.example', subject: 'MUG-BLK', date: 'Fri, 6 Nov 2026 09:00:00 -0500', messageId: '<k9@kiln.example>', body: 'MUG-BLK should go out 03/04, we think.' }));
    await fx.core.dispatch('suppliers.update', { name: 'Kiln Works', dateLocale: null });
    await call(fx.core, 'gmail.syncNow', {});
    const low = (await call(fx.core, 'eta.quotes', {})).find((x) => x.sourceRef === '<k9@kiln.example>');
    expect(low!.confidence).toBeLessThan(0.6);
    expect((await call(fx.core, 'tasks.list', { status: 'open' })).some((t) => t.kind === 'eta_low_confidence' && /03\/04/.test(t.reason))).toBe(true);
  });

  it('a supplier courtesy mail with no product and no date stores no quote and opens no task', async () => {
    fake.deliver(eml({ from: 'orders@kiln.example', subject: 'Thanks', date: 'Mon, 2 Nov 2026 10:00:00 -0500', messageId: '<k3@kiln.example>', body: 'Thank you for your business! Have a nice weekend.' }));
    const r = await call(fx.core, 'gmail.syncNow', {});
    expect(r).toMatchObject({ supplier: 1, quotes: 0 });
    expect(await call(fx.core, 'eta.quotes', {})).toEqual([]);
    expect((await call(fx.core, 'tasks.list', { status: 'open' })).filter((t) => t.kind === 'eta_low_confidence')).toEqual([]);
  });
});
