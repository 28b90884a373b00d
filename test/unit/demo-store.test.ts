/**
 * The bundled demo store (resources/demo/) must look like real Shopify exports, hang together
 * across its four files, and contain the cases the app is meant to show. Everything here is read
 * back from the committed CSVs with csv-parse, not taken from the generator's internals; only the
 * last test runs the generator, to prove the files are exactly what it produces.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  CUSTOMERS_HEADER,
  DEMO_FILES,
  INVENTORY_HEADER,
  ORDERS_HEADER,
  PRODUCTS_HEADER,
  generateDemoStore,
} from '../../scripts/make-demo-store';
import { allocateStock, type OpenLine, type VariantStock } from '../../src/core/detection/allocate';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoDir = path.join(repoRoot, 'resources', 'demo');
const corpusOrders = path.resolve(repoRoot, '../shared/corpus', 'shopify/csv/forezia-mock-data/orders_export.csv');

type Row = Record<string, string>;

function readCsv(file: string): { header: string[]; rows: Row[] } {
  const text = fs.readFileSync(path.join(demoDir, file), 'utf8');
  const records = parse(text, { bom: false, relax_column_count: false });
  const [header, ...body] = records;
  if (!header) throw new Error(`${file} is empty`);
  return {
    header,
    rows: body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']))),
  };
}

const get = (row: Row, column: string): string => {
  const v = row[column];
  if (v === undefined) throw new Error(`no column ${column}`);
  return v;
};
const cents = (s: string): number => {
  if (!/^-?\d+\.\d{2}$/.test(s)) throw new Error(`not a money value: ${JSON.stringify(s)}`);
  const [whole = '0', frac = '00'] = s.replace('-', '').split('.');
  return (s.startsWith('-') ? -1 : 1) * (Number(whole) * 100 + Number(frac));
};
const int = (s: string): number => {
  if (!/^-?\d+$/.test(s)) throw new Error(`not an integer: ${JSON.stringify(s)}`);
  return Number(s);
};
/** "2026-11-12 14:03:51 -0500" → ISO 8601, as the app's importer would turn it. */
const iso = (s: string): string => {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a Shopify timestamp: ${s}`);
  return `${m[1]}T${m[2]}${m[3]}:${m[4]}`;
};

const orders = readCsv('orders_export.csv');
const products = readCsv('products_export.csv');
const inventory = readCsv('inventory_export.csv');
const customers = readCsv('customers_export.csv');

// --- Catalogue view: variants keyed by handle + option values, reachable by SKU or line name. ---
interface VariantView {
  key: string;
  handle: string;
  sku: string;
  lineName: string;
  policy: string;
  inventoryQty: number;
  onHand: number;
  committed: number;
  available: number;
  unavailable: number;
}

const variants = new Map<string, VariantView>();
{
  let title = '';
  for (const r of products.rows) {
    if (get(r, 'Title') !== '') title = get(r, 'Title');
    const values = ['Option1 Value', 'Option2 Value', 'Option3 Value'].map((c) => get(r, c)).filter((v) => v !== '');
    const variantTitle = values.join(' / ');
    const key = `${get(r, 'Handle')}|${variantTitle}`;
    variants.set(key, {
      key,
      handle: get(r, 'Handle'),
      sku: get(r, 'Variant SKU'),
      lineName: variantTitle === 'Default Title' ? title : `${title} - ${variantTitle}`,
      policy: get(r, 'Variant Inventory Policy'),
      inventoryQty: int(get(r, 'Variant Inventory Qty')),
      onHand: 0,
      committed: 0,
      available: 0,
      unavailable: 0,
    });
  }
  for (const r of inventory.rows) {
    const values = ['Option1 Value', 'Option2 Value', 'Option3 Value'].map((c) => get(r, c)).filter((v) => v !== '');
    const v = variants.get(`${get(r, 'Handle')}|${values.join(' / ')}`);
    if (!v) throw new Error(`inventory row for an unknown variant: ${get(r, 'Handle')} ${values.join(' / ')}`);
    v.onHand += int(get(r, 'On hand (current)'));
    v.committed += int(get(r, 'Committed (not editable)'));
    v.available += int(get(r, 'Available (not editable)'));
    v.unavailable += int(get(r, 'Unavailable (not editable)'));
  }
}
const bySku = new Map([...variants.values()].filter((v) => v.sku !== '').map((v) => [v.sku, v]));
const byLineName = new Map([...variants.values()].map((v) => [v.lineName, v]));
const variantOf = (line: Row): VariantView | undefined =>
  get(line, 'Lineitem sku') !== '' ? bySku.get(get(line, 'Lineitem sku')) : byLineName.get(get(line, 'Lineitem name'));

// --- Orders view: an order is its first row (order-level fields) plus all its line rows. ---
interface OrderView {
  name: string;
  head: Row;
  lines: Row[];
}
const orderList: OrderView[] = [];
for (const r of orders.rows) {
  const last = orderList[orderList.length - 1];
  if (last && last.name === get(r, 'Name')) last.lines.push(r);
  else orderList.push({ name: get(r, 'Name'), head: r, lines: [r] });
}
const isCancelled = (o: OrderView): boolean => get(o.head, 'Cancelled at') !== '';
const openLinesOf = (o: OrderView): Row[] =>
  isCancelled(o) ? [] : o.lines.filter((l) => get(l, 'Lineitem fulfillment status') !== 'fulfilled');

describe('demo store: file formats', () => {
  it('uses Shopify\'s current 79-column orders header, identical to the corpus export', (ctx) => {
    expect(orders.header).toEqual([...ORDERS_HEADER]);
    expect(orders.header).toHaveLength(79);
    if (!fs.existsSync(corpusOrders)) {
      console.info(`skipped the corpus comparison: ${corpusOrders} is absent (a clone without ../shared)`);
      ctx.skip();
      return;
    }
    const corpusHeader = fs.readFileSync(corpusOrders, 'utf8').split('\n')[0];
    const ourHeader = fs.readFileSync(path.join(demoDir, 'orders_export.csv'), 'utf8').split('\n')[0];
    expect(ourHeader).toBe(corpusHeader);
  });

  it('uses the product, inventory and customer export headers', () => {
    expect(products.header).toEqual([...PRODUCTS_HEADER]);
    expect(inventory.header).toEqual([...INVENTORY_HEADER]);
    expect(customers.header).toEqual([...CUSTOMERS_HEADER]);
  });

  it('writes UTF-8 with LF line endings, no BOM, and a final newline', () => {
    for (const file of DEMO_FILES.filter((f) => f.endsWith('.csv'))) {
      const bytes = fs.readFileSync(path.join(demoDir, file));
      expect(bytes[0], file).not.toBe(0xef);
      expect(bytes.includes(0x0d), file).toBe(false);
      expect(bytes[bytes.length - 1], file).toBe(0x0a);
    }
  });

  it('stamps times like Shopify, in America/New_York (EDT until 1 Nov 2026, EST after)', () => {
    const stamps = orders.rows.flatMap((r) =>
      ['Created at', 'Paid at', 'Fulfilled at', 'Cancelled at'].map((c) => get(r, c)).filter((s) => s !== ''),
    );
    expect(stamps.length).toBeGreaterThan(400);
    for (const s of stamps) {
      expect(s).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} -0[45]00$/);
      const day = s.slice(0, 10);
      expect(s.endsWith(day < '2026-11-01' ? '-0400' : '-0500'), s).toBe(true);
    }
  });

  it('writes money with two decimals and order-level fields only on an order\'s first row', () => {
    for (const o of orderList) {
      for (const c of ['Financial Status', 'Currency', 'Subtotal', 'Total', 'Id']) expect(get(o.head, c), `${o.name} ${c}`).not.toBe('');
      expect(get(o.head, 'Currency')).toBe('USD');
      for (const l of o.lines.slice(1)) {
        for (const c of ['Financial Status', 'Subtotal', 'Total', 'Billing Name', 'Id', 'Payment Method']) {
          expect(get(l, c), `${o.name} ${c} on a later row`).toBe('');
        }
        // Later rows repeat these, as Shopify does.
        expect(get(l, 'Email')).toBe(get(o.head, 'Email'));
        expect(get(l, 'Created at')).toBe(get(o.head, 'Created at'));
      }
      for (const l of o.lines) cents(get(l, 'Lineitem price'));
    }
  });
});

describe('demo store: contents', () => {
  it('has about 200 orders over the 60 days up to 2026-11-27', () => {
    expect(orderList.length).toBeGreaterThanOrEqual(180);
    expect(orderList.length).toBeLessThanOrEqual(220);
    expect(new Set(orderList.map((o) => o.name)).size).toBe(orderList.length);
    const created = orderList.map((o) => Date.parse(iso(get(o.head, 'Created at'))));
    const newest = orderList.map((o) => get(o.head, 'Created at')).sort().at(-1);
    expect(newest?.slice(0, 10)).toBe('2026-11-27');
    const spanDays = (Math.max(...created) - Math.min(...created)) / 86_400_000;
    expect(spanDays).toBeGreaterThan(55);
    expect(spanDays).toBeLessThan(62);
  });

  it('has at least 40 variants, each with one inventory row per location', () => {
    expect(variants.size).toBeGreaterThanOrEqual(40);
    expect(inventory.rows).toHaveLength(variants.size * 2);
    expect(new Set(inventory.rows.map((r) => get(r, 'Location')))).toEqual(new Set(['Main Warehouse', 'Studio Shop']));
  });

  it('keeps On hand = Available + Committed + Unavailable on every inventory row', () => {
    for (const r of inventory.rows) {
      const onHand = int(get(r, 'On hand (current)'));
      expect(onHand).toBeGreaterThanOrEqual(0);
      expect(onHand).toBe(
        int(get(r, 'Available (not editable)')) + int(get(r, 'Committed (not editable)')) + int(get(r, 'Unavailable (not editable)')),
      );
      expect(get(r, 'On hand (new)')).toBe('');
    }
  });

  it('commits exactly the unshipped quantity of open orders, and reports available in the product export', () => {
    const open = new Map<string, number>();
    for (const o of orderList) {
      for (const l of openLinesOf(o)) {
        const v = variantOf(l);
        expect(v, `${o.name} ${get(l, 'Lineitem name')} matches a variant`).toBeDefined();
        if (v) open.set(v.key, (open.get(v.key) ?? 0) + int(get(l, 'Lineitem quantity')));
      }
    }
    for (const v of variants.values()) {
      expect(v.committed, v.lineName).toBe(open.get(v.key) ?? 0);
      expect(v.inventoryQty, v.lineName).toBe(v.available);
      if (v.policy === 'deny') expect(v.available, v.lineName).toBeGreaterThanOrEqual(0);
    }
  });

  it('has at least four CONTINUE variants that are oversold (available < 0, on hand < committed)', () => {
    const oversold = [...variants.values()].filter((v) => v.policy === 'continue' && v.inventoryQty < 0);
    expect(oversold.length).toBeGreaterThanOrEqual(4);
    expect(oversold.length).toBeLessThanOrEqual(6);
    for (const v of oversold) expect(v.onHand).toBeLessThan(v.committed);
    expect([...variants.values()].every((v) => v.policy === 'continue' || v.policy === 'deny')).toBe(true);
  });

  it('has a multi-line order mixing an in-stock variant with an oversold one', () => {
    const mixed = orderList.filter((o) => {
      if (isCancelled(o) || o.lines.length < 2) return false;
      const vs = o.lines.map(variantOf);
      const waiting = openLinesOf(o).map(variantOf).some((v) => v !== undefined && v.available < 0);
      return waiting && vs.some((v) => v !== undefined && v.available >= 0);
    });
    expect(mixed.length).toBeGreaterThanOrEqual(1);
    expect(mixed.some((o) => get(o.head, 'Fulfillment Status') === 'partial')).toBe(true);
  });

  it('keeps line fulfilment statuses consistent with the order\'s', () => {
    const seen = new Set<string>();
    for (const o of orderList) {
      const status = get(o.head, 'Fulfillment Status');
      seen.add(status);
      const lineStatuses = o.lines.map((l) => get(l, 'Lineitem fulfillment status'));
      for (const s of lineStatuses) expect(['fulfilled', 'pending']).toContain(s);
      if (status === 'fulfilled') {
        expect(lineStatuses.every((s) => s === 'fulfilled'), o.name).toBe(true);
        expect(get(o.head, 'Fulfilled at'), o.name).not.toBe('');
      } else if (status === 'unfulfilled') {
        expect(lineStatuses.every((s) => s === 'pending'), o.name).toBe(true);
        expect(get(o.head, 'Fulfilled at'), o.name).toBe('');
      } else {
        expect(status).toBe('partial');
        expect(lineStatuses).toContain('fulfilled');
        expect(lineStatuses).toContain('pending');
        expect(get(o.head, 'Fulfilled at'), o.name).toBe('');
      }
    }
    expect(seen).toEqual(new Set(['fulfilled', 'partial', 'unfulfilled']));
  });

  it('adds up every order: Σ price × qty − discounts + shipping + taxes = total', () => {
    for (const o of orderList) {
      const h = o.head;
      const gross = o.lines.reduce((s, l) => s + cents(get(l, 'Lineitem price')) * int(get(l, 'Lineitem quantity')), 0);
      const discount = cents(get(h, 'Discount Amount'));
      expect(o.lines.reduce((s, l) => s + cents(get(l, 'Lineitem discount')), 0), o.name).toBe(discount);
      expect(cents(get(h, 'Subtotal')), o.name).toBe(gross - discount);
      expect(cents(get(h, 'Total')), o.name).toBe(gross - discount + cents(get(h, 'Shipping')) + cents(get(h, 'Taxes')));
      if (get(h, 'Tax 1 Name') !== '') expect(cents(get(h, 'Tax 1 Value'))).toBe(cents(get(h, 'Taxes')));
      expect(discount > 0).toBe(get(h, 'Discount Code') !== '');
    }
    expect(orderList.filter((o) => cents(get(o.head, 'Total')) > 50_000).length).toBeGreaterThanOrEqual(3);
  });

  it('has a couple of cancelled orders, refunded or voided', () => {
    const cancelled = orderList.filter(isCancelled);
    expect(cancelled.length).toBeGreaterThanOrEqual(2);
    for (const o of cancelled) {
      expect(['refunded', 'voided']).toContain(get(o.head, 'Financial Status'));
      expect(get(o.head, 'Fulfillment Status')).toBe('unfulfilled');
    }
    expect(new Set(cancelled.map((o) => get(o.head, 'Financial Status')))).toEqual(new Set(['refunded', 'voided']));
  });

  it('has line items without a SKU, named "Product Title - Variant Title"', () => {
    const noSku = orders.rows.filter((r) => get(r, 'Lineitem sku') === '');
    expect(noSku.length).toBeGreaterThanOrEqual(3);
    for (const r of noSku) {
      const v = byLineName.get(get(r, 'Lineitem name'));
      expect(v, get(r, 'Lineitem name')).toBeDefined();
      expect(v?.sku).toBe('');
      expect(get(r, 'Lineitem name')).toMatch(/ - /);
    }
  });

  it('has VIPs, first-time buyers, SMS opt-ins, and every buyer in the customer export', () => {
    const totals = customers.rows.map((c) => int(get(c, 'Total Orders')));
    expect(totals.filter((t) => t >= 3).length).toBeGreaterThanOrEqual(10);
    expect(totals.filter((t) => t === 1).length).toBeGreaterThanOrEqual(20);
    const tagged = customers.rows.filter((c) => get(c, 'Tags').split(', ').includes('VIP'));
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.length).toBeLessThan(totals.filter((t) => t >= 3).length);
    for (const c of tagged) expect(int(get(c, 'Total Orders'))).toBeGreaterThanOrEqual(3);
    expect(customers.rows.length).toBeGreaterThanOrEqual(110);
    expect(customers.rows.length).toBeLessThanOrEqual(130);

    const perEmail = new Map<string, number>();
    for (const o of orderList) perEmail.set(get(o.head, 'Email'), (perEmail.get(get(o.head, 'Email')) ?? 0) + 1);
    const byEmail = new Map(customers.rows.map((c) => [get(c, 'Email'), c]));
    for (const [email, n] of perEmail) {
      const c = byEmail.get(email);
      expect(c, email).toBeDefined();
      if (c) expect(int(get(c, 'Total Orders')), email).toBeGreaterThanOrEqual(n);
    }
    const sms = customers.rows.filter((c) => get(c, 'Accepts SMS Marketing') === 'yes');
    expect(sms.length).toBeGreaterThan(0);
    for (const c of sms) expect(get(c, 'Phone'), get(c, 'Email')).not.toBe('');
  });

  it('uses only fictional contact data (RFC 2606 domains, 555-01xx numbers)', () => {
    const emails = [...customers.rows.map((c) => get(c, 'Email')), ...orders.rows.map((r) => get(r, 'Email'))];
    for (const e of emails) expect(e).toMatch(/^[a-z0-9.]+@example\.(com|org|net)$/);
    const phones = [
      ...customers.rows.flatMap((c) => [get(c, 'Phone'), get(c, 'Default Address Phone')]),
      ...orders.rows.flatMap((r) => [get(r, 'Phone'), get(r, 'Billing Phone'), get(r, 'Shipping Phone')]),
    ].filter((p) => p !== '');
    expect(phones.length).toBeGreaterThan(0);
    for (const p of phones) expect(p).toMatch(/^'?\+1\d{3}55501\d{2}$/);
    for (const r of products.rows) if (get(r, 'Image Src') !== '') expect(get(r, 'Image Src')).toMatch(/^https:\/\/cdn\.example\.com\//);
  });

  it('yields 25–40 backordered lines under the app\'s FIFO rule, including a partial one', () => {
    const stock: VariantStock[] = [...variants.values()].map((v) => ({ variantId: v.key, tracked: true, onHand: v.onHand }));
    const open: OpenLine[] = orderList.flatMap((o) =>
      o.lines
        .map((l, i) => ({ l, position: i + 1 }))
        .filter(({ l }) => openLinesOf(o).includes(l))
        .map(({ l, position }) => ({
          lineItemId: `${o.name}/${position}`,
          orderId: get(o.head, 'Id'),
          orderName: o.name,
          orderedAt: iso(get(o.head, 'Created at')),
          position,
          variantId: variantOf(l)?.key ?? null,
          openQuantity: int(get(l, 'Lineitem quantity')),
        })),
    );
    const result = allocateStock(stock, open);
    expect(result.unmatched).toEqual([]);
    const backordered = result.allocations.filter((a) => a.backordered > 0);
    expect(backordered.length).toBeGreaterThanOrEqual(25);
    expect(backordered.length).toBeLessThanOrEqual(40);
    // Only the oversold CONTINUE variants produce backorders; the rest of the open lines are covered.
    for (const a of backordered) {
      const v = variants.get(a.variantId);
      expect(v?.policy).toBe('continue');
      expect(v?.available).toBeLessThan(0);
    }
    const byId = new Map(open.map((l) => [l.lineItemId, l]));
    expect(backordered.some((a) => byId.get(a.lineItemId)?.openQuantity === 3 && a.allocated === 1)).toBe(true);
    // A high-value order (> $500) waits on a backorder, and so does a SKU-less line.
    const highValue = new Set(orderList.filter((o) => cents(get(o.head, 'Total')) > 50_000).map((o) => o.name));
    expect(backordered.some((a) => highValue.has(byId.get(a.lineItemId)?.orderName ?? ''))).toBe(true);
    expect(backordered.some((a) => variants.get(a.variantId)?.sku === '')).toBe(true);
    // The README states the same count.
    const readme = fs.readFileSync(path.join(demoDir, 'README.md'), 'utf8');
    expect(readme).toContain(`${backordered.length} backordered line items`);
  });

  it('is exactly what the generator produces', () => {
    const generated = generateDemoStore();
    expect(Object.keys(generated).sort()).toEqual([...DEMO_FILES].sort());
    for (const file of DEMO_FILES) {
      const committed = fs.readFileSync(path.join(demoDir, file), 'utf8');
      expect(generated[file] === committed, `${file} differs from a fresh run of scripts/make-demo-store.ts`).toBe(true);
    }
  });
});
