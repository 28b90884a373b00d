/**
 * Generates the bundled demo store: four Shopify admin CSV exports (orders, products, inventory,
 * customers) of a small invented US outdoor and coffee-gear shop, plus a README that states what a
 * new user should see when the app imports them (which lines are backordered, and why).
 *
 * Run: `npx tsx scripts/make-demo-store.ts` (writes resources/demo/*). The output is a pure function
 * of the code below: a seeded PRNG, no clock, no locale, no Math.random, so a re-run reproduces the
 * committed files byte for byte (test/unit/demo-store.test.ts checks that).
 *
 * Everything is fictional: emails use the RFC 2606 domains, phone numbers the 555-0100..0199
 * range, images point at cdn.example.com.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Headers. The orders header is Shopify's current 79-column export header (identical to the corpus
// sample ../shared/corpus/shopify/csv/forezia-mock-data/orders_export.csv). The other three are
// documented in resources/demo/README.md with their sources.
// ---------------------------------------------------------------------------------------------

/** Shopify admin "Export orders" header, 79 columns. */
export const ORDERS_HEADER = [
  'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Accepts Marketing',
  'Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Code', 'Discount Amount', 'Shipping Method',
  'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem compare at price',
  'Lineitem sku', 'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status',
  'Billing Name', 'Billing Street', 'Billing Address1', 'Billing Address2', 'Billing Company', 'Billing City',
  'Billing Zip', 'Billing Province', 'Billing Country', 'Billing Phone', 'Shipping Name', 'Shipping Street',
  'Shipping Address1', 'Shipping Address2', 'Shipping Company', 'Shipping City', 'Shipping Zip',
  'Shipping Province', 'Shipping Country', 'Shipping Phone', 'Notes', 'Note Attributes', 'Cancelled at',
  'Payment Method', 'Payment Reference', 'Refunded Amount', 'Vendor', 'Outstanding Balance', 'Employee',
  'Location', 'Device ID', 'Id', 'Tags', 'Risk Level', 'Source', 'Lineitem discount', 'Tax 1 Name',
  'Tax 1 Value', 'Tax 2 Name', 'Tax 2 Value', 'Tax 3 Name', 'Tax 3 Value', 'Tax 4 Name', 'Tax 4 Value',
  'Tax 5 Name', 'Tax 5 Value', 'Phone', 'Receipt Number', 'Duties', 'Billing Province Name',
  'Shipping Province Name', 'Payment ID', 'Payment Terms Name', 'Next Payment Due At', 'Payment References',
] as const;

/** Shopify admin "Export products" header (the export layout, not the newer import template). */
export const PRODUCTS_HEADER = [
  'Handle', 'Title', 'Body (HTML)', 'Vendor', 'Product Category', 'Type', 'Tags', 'Published',
  'Option1 Name', 'Option1 Value', 'Option1 Linked To', 'Option2 Name', 'Option2 Value', 'Option2 Linked To',
  'Option3 Name', 'Option3 Value', 'Option3 Linked To', 'Variant SKU', 'Variant Grams',
  'Variant Inventory Tracker', 'Variant Inventory Qty', 'Variant Inventory Policy', 'Variant Fulfillment Service',
  'Variant Price', 'Variant Compare At Price', 'Variant Requires Shipping', 'Variant Taxable',
  'Unit Price Total Measure', 'Unit Price Total Measure Unit', 'Unit Price Base Measure',
  'Unit Price Base Measure Unit', 'Variant Barcode', 'Image Src', 'Image Position', 'Image Alt Text', 'Gift Card',
  'SEO Title', 'SEO Description', 'Variant Image', 'Variant Weight Unit', 'Variant Tax Code', 'Cost per item',
  'Status',
] as const;

/** Shopify admin inventory export, "All quantity types" layout: one row per variant and location. */
export const INVENTORY_HEADER = [
  'Handle', 'Title', 'Option1 Name', 'Option1 Value', 'Option2 Name', 'Option2 Value', 'Option3 Name',
  'Option3 Value', 'SKU', 'HS Code', 'COO', 'Location', 'Bin name', 'Incoming (not editable)',
  'Unavailable (not editable)', 'Committed (not editable)', 'Available (not editable)', 'On hand (current)',
  'On hand (new)',
] as const;

/** Shopify admin "Export customers" header. */
export const CUSTOMERS_HEADER = [
  'Customer ID', 'First Name', 'Last Name', 'Email', 'Accepts Email Marketing', 'Default Address Company',
  'Default Address Address1', 'Default Address Address2', 'Default Address City',
  'Default Address Province Code', 'Default Address Country Code', 'Default Address Zip',
  'Default Address Phone', 'Phone', 'Accepts SMS Marketing', 'Total Spent', 'Total Orders', 'Note',
  'Tax Exempt', 'Tags',
] as const;

/** The two stock locations of the demo store. */
export const DEMO_LOCATIONS = ['Main Warehouse', 'Studio Shop'] as const;
type LocationName = (typeof DEMO_LOCATIONS)[number];

/** The files the generator produces, relative to resources/demo/. */
export const DEMO_FILES = [
  'orders_export.csv',
  'products_export.csv',
  'inventory_export.csv',
  'customers_export.csv',
  'store.json',
  'README.md',
] as const;
export type DemoFile = (typeof DEMO_FILES)[number];

const STORE_NAME = 'Juniper & Pine Outfitters';
const CURRENCY = 'USD';
const FIRST_ORDER_NUMBER = 3208;
const ORDER_COUNT = 200;

// ---------------------------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------------------------

/** mulberry32: tiny, fast, and identical on every platform, which is all a fixture generator needs. */
function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = makeRng(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return must(items[Math.floor(this.next() * items.length)], 'pick from empty list');
  }
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((s, i) => s + weight(i), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return must(items[items.length - 1], 'weighted pick from empty list');
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = must(items[i], 'shuffle');
      items[i] = must(items[j], 'shuffle');
      items[j] = a;
    }
    return items;
  }
}

function must<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`demo store generator: ${what}`);
  return value;
}

/** Cents to Shopify's export notation ("129.00"). */
function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

// Shopify writes some empty strings as `""` (an empty string value rather than a missing one).
// Importers meet that in real files, so the demo reproduces it for the fields where the corpus
// sample shows it. The sentinel never appears in data.
const QUOTED_EMPTY = '\u0000quoted-empty';

/** RFC 4180 quoting: only fields holding a comma, quote, CR or LF are quoted; quotes are doubled. */
function csvField(value: string): string {
  if (value === QUOTED_EMPTY) return '""';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

type Row = Record<string, string>;

function toCsv(header: readonly string[], rows: readonly Row[]): string {
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!header.includes(key)) throw new Error(`demo store generator: unknown column ${key}`);
    }
    lines.push(header.map((h) => csvField(row[h] ?? '')).join(','));
  }
  // Shopify's exports end every record with LF, the last one included.
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Store-local time (America/New_York). Instants are kept as "local wall-clock milliseconds"
// (Date.UTC of the local fields); the offset is derived from the 2026 DST rule. No time is ever
// generated between 01:00 and 02:00 on 1 Nov, so the fold never makes a time ambiguous.
// ---------------------------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const local = (y: number, m: number, d: number, hh = 0, mm = 0, ss = 0): number => Date.UTC(y, m - 1, d, hh, mm, ss);
/** 2026-11-01 02:00 EDT: clocks go back to 01:00 EST. */
const DST_END_2026 = local(2026, 11, 1, 2);
const offsetOf = (t: number): string => (t < DST_END_2026 ? '-0400' : '-0500');

function stamp(t: number): string {
  const d = new Date(t);
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${offsetOf(t)}`
  );
}
const dateOnly = (t: number): string => stamp(t).slice(0, 10);
const dayStart = (t: number): number => t - (t % DAY);

const WINDOW_START = local(2026, 9, 29);
const WINDOW_DAYS = 60; // 2026-09-29 .. 2026-11-27
const NEWEST_DAY = WINDOW_START + (WINDOW_DAYS - 1) * DAY;
/** Orders placed from this day on have not shipped yet (Thanksgiving-week backlog). */
const SHIPPING_CUTOFF = local(2026, 11, 25);
/** When the export was taken; every timestamp in the files is earlier. */
const EXPORTED_AT = local(2026, 11, 27, 22, 40);

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

interface OversoldPlan {
  /** From this local date on, new lines for the variant could not ship: stock had run out. */
  outSince: number;
  /**
   * Units on hand now (all at Main Warehouse). 'partial-qty3' sets it so that the scripted
   * three-unit line is covered for exactly one unit after FIFO allocation.
   */
  onHand: number | 'partial-qty3';
  incoming: number;
  story: string;
}

interface VariantSpec {
  values: string[];
  sku: string;
  price: number;
  compareAt?: number;
  cost: number;
  popularity: number;
  oversold?: OversoldPlan;
  /** Units set aside as damaged at Main Warehouse. */
  unavailable?: number;
  incoming?: number;
  /** Fixed availability (e.g. 0 for a sold-out DENY variant); otherwise drawn. */
  available?: [number, number];
}

interface ProductSpec {
  handle: string;
  title: string;
  body: string;
  vendor: string;
  category: string;
  type: string;
  tags: string;
  options: string[];
  policy: 'deny' | 'continue';
  grams: number;
  weightUnit: 'lb' | 'oz' | 'g';
  taxable: boolean;
  hsCode: string;
  coo: string;
  /** Too bulky to keep at the Studio Shop, and never offered for pickup. */
  bulky: boolean;
  /** Unit pricing shown for sold-by-weight goods. */
  unitPrice?: { total: string; totalUnit: string; base: string; baseUnit: string };
  variants: VariantSpec[];
}

interface Product extends Omit<ProductSpec, 'variants'> {
  variants: Variant[];
}

interface Variant extends VariantSpec {
  product: Product;
  /** Shopify's variant title: option values joined with " / ", or "Default Title". */
  title: string;
  /** What an order line calls it: "Product Title - Variant Title" (just the product title when single). */
  lineName: string;
  barcode: string;
  binName: string;
}

const d = (m: number, day: number): number => local(2026, m, day);

const CATALOGUE: ProductSpec[] = [
  {
    handle: 'ridgeline-down-jacket',
    title: 'Ridgeline Down Jacket',
    body: '<p>Our warmest layer: 800-fill RDS down, a recycled ripstop shell and a helmet-compatible hood. Packs into its own chest pocket.</p>',
    vendor: 'Northfall Gear Co.',
    category: 'Apparel & Accessories > Clothing > Outerwear > Coats & Jackets',
    type: 'Jackets',
    tags: 'down, outerwear, winter',
    options: ['Color', 'Size'],
    policy: 'continue',
    grams: 680,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '620193',
    coo: 'VN',
    bulky: false,
    variants: [
      { values: ['Spruce', 'S'], sku: 'JP-RDJ-SPR-S', price: 22900, cost: 10400, popularity: 1.6 },
      {
        values: ['Spruce', 'M'], sku: 'JP-RDJ-SPR-M', price: 22900, cost: 10400, popularity: 4.4,
        oversold: {
          outSince: d(11, 2), onHand: 0, incoming: 0,
          story: 'sold through in the first cold snap; Northfall has not confirmed a ship date yet',
        },
      },
      { values: ['Spruce', 'L'], sku: 'JP-RDJ-SPR-L', price: 22900, cost: 10400, popularity: 1.8 },
      { values: ['Charcoal', 'M'], sku: 'JP-RDJ-CHR-M', price: 22900, cost: 10400, popularity: 1.4 },
      { values: ['Charcoal', 'L'], sku: 'JP-RDJ-CHR-L', price: 22900, cost: 10400, popularity: 1.3 },
      { values: ['Charcoal', 'XL'], sku: 'JP-RDJ-CHR-XL', price: 22900, cost: 10400, popularity: 0.8 },
    ],
  },
  {
    handle: 'switchback-fleece-pullover',
    title: 'Switchback Fleece Pullover',
    body: '<p>Grid fleece that breathes on the climb and stays warm at the summit. Quarter zip, thumb loops.</p>',
    vendor: 'Alpenglow Textiles',
    category: 'Apparel & Accessories > Clothing > Shirts & Tops',
    type: 'Fleece',
    tags: 'fleece, layering',
    options: ['Color', 'Size'],
    policy: 'deny',
    grams: 340,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '611030',
    coo: 'PT',
    bulky: false,
    variants: [
      { values: ['Heather Grey', 'S'], sku: 'JP-SFP-HGR-S', price: 8900, cost: 3600, popularity: 1.2 },
      { values: ['Heather Grey', 'M'], sku: 'JP-SFP-HGR-M', price: 8900, cost: 3600, popularity: 2.2 },
      { values: ['Heather Grey', 'L'], sku: 'JP-SFP-HGR-L', price: 8900, cost: 3600, popularity: 2.0 },
      { values: ['Heather Grey', 'XL'], sku: 'JP-SFP-HGR-XL', price: 8900, cost: 3600, popularity: 0.9 },
      { values: ['Navy', 'M'], sku: 'JP-SFP-NVY-M', price: 8900, cost: 3600, popularity: 1.8 },
      { values: ['Navy', 'L'], sku: 'JP-SFP-NVY-L', price: 8900, cost: 3600, popularity: 1.5 },
    ],
  },
  {
    handle: 'trailhead-merino-beanie',
    title: 'Trailhead Merino Beanie',
    body: '<p>Fine-gauge merino, double-layer cuff. Warm, soft and it does not itch.</p>',
    vendor: 'Alpenglow Textiles',
    category: 'Apparel & Accessories > Clothing Accessories > Hats',
    type: 'Hats',
    tags: 'accessories, merino, winter',
    options: ['Color'],
    policy: 'deny',
    grams: 85,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '650500',
    coo: 'PT',
    bulky: false,
    variants: [
      { values: ['Rust'], sku: 'JP-TMB-RST', price: 3400, cost: 1100, popularity: 3.0 },
      { values: ['Slate'], sku: 'JP-TMB-SLT', price: 3400, cost: 1100, popularity: 2.6 },
      { values: ['Oat'], sku: 'JP-TMB-OAT', price: 3400, cost: 1100, popularity: 2.2 },
    ],
  },
  {
    handle: 'basecamp-wool-socks-3-pack',
    title: 'Basecamp Wool Socks (3-Pack)',
    body: '<p>Midweight merino hiking socks with a cushioned footbed. Three pairs.</p>',
    vendor: 'Alpenglow Textiles',
    category: 'Apparel & Accessories > Clothing > Underwear & Socks > Socks',
    type: 'Socks',
    tags: 'merino, socks',
    options: ['Size'],
    policy: 'deny',
    grams: 230,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '611594',
    coo: 'US',
    bulky: false,
    variants: [
      { values: ['S'], sku: 'JP-BWS-S', price: 2800, cost: 900, popularity: 1.2 },
      { values: ['M'], sku: 'JP-BWS-M', price: 2800, cost: 900, popularity: 3.0 },
      { values: ['L'], sku: 'JP-BWS-L', price: 2800, cost: 900, popularity: 2.6 },
    ],
  },
  {
    handle: 'juniper-2-ultralight-tent',
    title: 'Juniper 2 Ultralight Tent',
    body: '<p>A two-person, three-season tent at 1.4 kg. Two doors, two vestibules, color-coded poles; pitches fly-first in the rain.</p>',
    vendor: 'Northfall Gear Co.',
    category: 'Sporting Goods > Outdoor Recreation > Camping & Hiking > Tents',
    type: 'Tents',
    tags: 'backpacking, camping, tents',
    options: ['Color'],
    policy: 'continue',
    grams: 1400,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '630622',
    coo: 'VN',
    bulky: true,
    variants: [
      {
        values: ['Moss'], sku: 'JP-J2T-MOS', price: 44900, cost: 21500, popularity: 2.4,
        oversold: {
          outSince: d(10, 19), onHand: 0, incoming: 12,
          story: 'out since mid-October; a purchase order for 12 is on the water',
        },
      },
      { values: ['Sand'], sku: 'JP-J2T-SND', price: 44900, cost: 21500, popularity: 1.2, unavailable: 1 },
    ],
  },
  {
    handle: 'alpine-20-down-sleeping-bag',
    title: 'Alpine 20°F Down Sleeping Bag',
    body: '<p>650-fill down mummy bag rated to 20°F / -7°C, with a draft collar and a full-length two-way zip.</p>',
    vendor: 'Northfall Gear Co.',
    category: 'Sporting Goods > Outdoor Recreation > Camping & Hiking > Sleeping Bags',
    type: 'Sleeping Bags',
    tags: 'backpacking, camping, down',
    options: ['Length'],
    policy: 'continue',
    grams: 1050,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '940430',
    coo: 'CN',
    bulky: true,
    variants: [
      { values: ['Regular'], sku: 'JP-A20-REG', price: 32900, cost: 15200, popularity: 1.6 },
      {
        values: ['Long'], sku: 'JP-A20-LNG', price: 34900, cost: 16100, popularity: 2.6,
        oversold: {
          outSince: d(11, 13), onHand: 0, incoming: 6,
          story: 'the long size sold out in November; 6 are incoming',
        },
      },
    ],
  },
  {
    handle: 'drift-insulated-sleeping-pad',
    title: 'Drift Insulated Sleeping Pad',
    body: '<p>R-value 4.2 air pad with a pump sack. Quiet, warm and 8 cm thick.</p>',
    vendor: 'Northfall Gear Co.',
    category: 'Sporting Goods > Outdoor Recreation > Camping & Hiking > Sleeping Pads',
    type: 'Sleeping Pads',
    tags: 'backpacking, camping',
    options: ['Size'],
    policy: 'deny',
    grams: 480,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '630640',
    coo: 'CN',
    bulky: true,
    variants: [
      { values: ['Regular'], sku: 'JP-DSP-REG', price: 16900, cost: 7200, popularity: 1.8 },
      { values: ['Wide Long'], sku: 'JP-DSP-WLG', price: 18900, cost: 8000, popularity: 1.0 },
    ],
  },
  {
    handle: 'switchback-24l-daypack',
    title: 'Switchback 24L Daypack',
    body: '<p>A daypack with a ventilated back panel, hip-belt pockets and a sleeve for a 2 L reservoir.</p>',
    vendor: 'Juniper & Pine',
    category: 'Luggage & Bags > Backpacks',
    type: 'Packs',
    tags: 'day hiking, packs',
    options: ['Color'],
    policy: 'deny',
    grams: 820,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '420292',
    coo: 'VN',
    bulky: false,
    variants: [
      { values: ['Ember'], sku: 'JP-S24-EMB', price: 11900, compareAt: 13900, cost: 4700, popularity: 2.0 },
      { values: ['Lake'], sku: 'JP-S24-LAK', price: 11900, compareAt: 13900, cost: 4700, popularity: 1.7, unavailable: 2 },
      { values: ['Stone'], sku: 'JP-S24-STN', price: 11900, compareAt: 13900, cost: 4700, popularity: 1.3 },
    ],
  },
  {
    handle: 'carbon-trekking-poles',
    title: 'Carbon Trekking Poles',
    body: '<p>Three-section carbon poles with cork grips and lever locks. Sold as a pair.</p>',
    vendor: 'Northfall Gear Co.',
    category: 'Sporting Goods > Outdoor Recreation > Camping & Hiking > Hiking Poles',
    type: 'Trekking Poles',
    tags: 'hiking',
    options: [],
    policy: 'deny',
    grams: 450,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '950699',
    coo: 'TW',
    bulky: false,
    variants: [{ values: [], sku: 'JP-CTP', price: 13900, cost: 5900, popularity: 1.8 }],
  },
  {
    handle: 'firefly-canister-stove',
    title: 'Firefly Canister Stove',
    body: '<p>A 73 g canister stove that boils a liter in three and a half minutes. Piezo ignition.</p>',
    vendor: 'Kestrel Camp Supply',
    category: 'Sporting Goods > Outdoor Recreation > Camping & Hiking > Portable Cooking Stoves',
    type: 'Stoves',
    tags: 'camp kitchen, stoves',
    options: [],
    policy: 'deny',
    grams: 73,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '732111',
    coo: 'KR',
    bulky: false,
    variants: [{ values: [], sku: 'JP-FCS', price: 8900, cost: 3800, popularity: 2.0 }],
  },
  {
    handle: 'beacon-400-headlamp',
    title: 'Beacon 400 Headlamp',
    body: '<p>400 lumens, red night mode, USB-C rechargeable. Sold out until the next batch arrives.</p>',
    vendor: 'Kestrel Camp Supply',
    category: 'Hardware > Tools > Flashlights & Headlamps > Headlamps',
    type: 'Lighting',
    tags: 'hiking, lighting',
    options: [],
    policy: 'deny',
    grams: 68,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '851310',
    coo: 'CN',
    bulky: false,
    variants: [{ values: [], sku: 'JP-B4H', price: 4900, cost: 1800, popularity: 1.6, available: [0, 0], incoming: 20 }],
  },
  {
    handle: 'titanium-camp-mug-450-ml',
    title: 'Titanium Camp Mug 450 ml',
    body: '<p>Single-wall titanium with folding handles and a lid; goes straight on the stove. The flamed finish is heat-tinted by hand, so no two match.</p>',
    vendor: 'Kestrel Camp Supply',
    category: 'Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs',
    type: 'Drinkware',
    tags: 'camp kitchen, coffee, gifts',
    options: ['Finish'],
    policy: 'continue',
    grams: 95,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '810890',
    coo: 'JP',
    bulky: false,
    variants: [
      { values: ['Natural'], sku: 'JP-TCM-NAT', price: 3900, cost: 1500, popularity: 2.4 },
      {
        values: ['Flamed'], sku: 'JP-TCM-FLM', price: 4400, cost: 1700, popularity: 4.6,
        oversold: {
          outSince: d(10, 31), onHand: 'partial-qty3', incoming: 48,
          story: 'a partial restock arrived today and is not yet allocated; 48 more are incoming',
        },
      },
    ],
  },
  {
    handle: 'summit-hand-coffee-grinder',
    title: 'Summit Hand Coffee Grinder',
    body: '<p>Stainless conical burrs, 40 click settings from espresso to French press. Fits inside the Titanium Camp Mug.</p>',
    vendor: 'Bramble Coffee Works',
    category: 'Home & Garden > Kitchen & Dining > Kitchen Tools & Utensils > Coffee Grinders',
    type: 'Coffee Gear',
    tags: 'coffee, gifts',
    options: [],
    policy: 'continue',
    grams: 560,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '821000',
    coo: 'TW',
    bulky: false,
    variants: [
      {
        values: [], sku: 'JP-SHG', price: 11900, cost: 5200, popularity: 3.0,
        oversold: {
          outSince: d(10, 24), onHand: 2, incoming: 10,
          story: 'two units came back from the Studio Shop display; 10 more are on order',
        },
      },
    ],
  },
  {
    handle: 'camp-pour-over-kit',
    title: 'Camp Pour-Over Kit',
    body: '<p>Collapsible silicone dripper, 40 filters and a 12 oz bag of Juniper Blend, in a canvas roll.</p>',
    vendor: 'Bramble Coffee Works',
    category: 'Home & Garden > Kitchen & Dining > Kitchen Tools & Utensils > Coffee & Tea Tools',
    type: 'Coffee Gear',
    tags: 'coffee, gifts',
    options: [],
    policy: 'deny',
    grams: 420,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '392410',
    coo: 'US',
    bulky: false,
    variants: [{ values: [], sku: 'JP-CPK', price: 6400, cost: 2500, popularity: 2.2 }],
  },
  {
    // Title with a comma, variants without SKUs: real catalogues have both, and order lines then
    // carry only "Enamel Percolator, 8-Cup - Forest" to match on.
    handle: 'enamel-percolator-8-cup',
    title: 'Enamel Percolator, 8-Cup',
    body: '<p>Classic speckled enamel over steel. Campfire, stove or induction; makes 8 cups of strong camp coffee.</p>',
    vendor: 'Heritage Enamelware',
    category: 'Home & Garden > Kitchen & Dining > Kitchen Appliances > Coffee Makers & Espresso Machines > Percolators',
    type: 'Coffee Gear',
    tags: 'camp kitchen, coffee',
    options: ['Color'],
    policy: 'continue',
    grams: 900,
    weightUnit: 'lb',
    taxable: true,
    hsCode: '732394',
    coo: 'MX',
    bulky: false,
    variants: [
      { values: ['Cream'], sku: '', price: 5900, cost: 2300, popularity: 1.4 },
      {
        values: ['Forest'], sku: '', price: 5900, cost: 2300, popularity: 1.9,
        oversold: {
          outSince: d(11, 11), onHand: 0, incoming: 0,
          story: 'no SKU in the catalogue, so order lines match by name only; no restock date yet',
        },
      },
    ],
  },
  {
    handle: 'cold-brew-field-bottle',
    title: 'Cold Brew Field Bottle',
    body: '<p>Vacuum-insulated 750 ml bottle with a removable cold-brew filter.</p>',
    vendor: 'Bramble Coffee Works',
    category: 'Home & Garden > Kitchen & Dining > Food & Beverage Carriers > Water Bottles',
    type: 'Drinkware',
    tags: 'coffee, drinkware',
    options: ['Color'],
    policy: 'deny',
    grams: 410,
    weightUnit: 'oz',
    taxable: true,
    hsCode: '961700',
    coo: 'CN',
    bulky: false,
    variants: [
      { values: ['Sage'], sku: 'JP-CBF-SGE', price: 4400, cost: 1600, popularity: 1.6 },
      { values: ['Black'], sku: 'JP-CBF-BLK', price: 4400, cost: 1600, popularity: 1.8, incoming: 24 },
    ],
  },
  {
    handle: 'juniper-blend-whole-bean-coffee',
    title: 'Juniper Blend Whole Bean Coffee',
    body: '<p>Roasted every Tuesday in Burlington, Vermont. Chocolate, toasted hazelnut and a little citrus; 12 oz bag.</p>',
    vendor: 'Bramble Coffee Works',
    category: 'Food, Beverages & Tobacco > Beverages > Coffee',
    type: 'Coffee',
    tags: 'coffee, whole bean',
    options: ['Roast'],
    policy: 'continue',
    grams: 340,
    weightUnit: 'oz',
    taxable: false,
    hsCode: '090121',
    coo: 'US',
    bulky: false,
    unitPrice: { total: '340', totalUnit: 'g', base: '100', baseUnit: 'g' },
    variants: [
      { values: ['Light'], sku: 'JP-JBC-LGT', price: 1900, cost: 700, popularity: 3.2 },
      { values: ['Medium'], sku: 'JP-JBC-MED', price: 1900, cost: 700, popularity: 5.0 },
      { values: ['Dark'], sku: 'JP-JBC-DRK', price: 1900, cost: 700, popularity: 3.8 },
    ],
  },
];

/** Restricted-circulation GTIN-12 (prefix 2): valid check digit, never a real product's code. */
function barcodeFor(n: number): string {
  const body = `2${String(71400000 + n * 37).padStart(10, '0')}`.slice(0, 11);
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(body[i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

function buildCatalogue(): { products: Product[]; variants: Variant[] } {
  const products: Product[] = [];
  const variants: Variant[] = [];
  let n = 0;
  for (const spec of CATALOGUE) {
    const product: Product = { ...spec, variants: [] };
    for (const vs of spec.variants) {
      const title = vs.values.length === 0 ? 'Default Title' : vs.values.join(' / ');
      n++;
      const variant: Variant = {
        ...vs,
        product,
        title,
        lineName: vs.values.length === 0 ? spec.title : `${spec.title} - ${title}`,
        // Not every variant has a barcode in a real catalogue; the SKU-less percolator has none.
        barcode: vs.sku !== '' && n % 4 !== 0 ? barcodeFor(n) : '',
        binName: `${String.fromCharCode(65 + (products.length % 4))}-${String(1 + (products.length % 7)).padStart(2, '0')}-${String(n).padStart(2, '0')}`,
      };
      product.variants.push(variant);
      variants.push(variant);
    }
    products.push(product);
  }
  return { products, variants };
}

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

interface Place {
  city: string;
  state: string;
  stateName: string;
  zip: string;
  area: string;
  weight: number;
}

const PLACES: Place[] = [
  { city: 'Burlington', state: 'VT', stateName: 'Vermont', zip: '05401', area: '802', weight: 7 },
  { city: 'Winooski', state: 'VT', stateName: 'Vermont', zip: '05404', area: '802', weight: 2 },
  { city: 'Stowe', state: 'VT', stateName: 'Vermont', zip: '05672', area: '802', weight: 1.5 },
  { city: 'Montpelier', state: 'VT', stateName: 'Vermont', zip: '05602', area: '802', weight: 1.5 },
  { city: 'Brooklyn', state: 'NY', stateName: 'New York', zip: '11215', area: '718', weight: 3 },
  { city: 'New York', state: 'NY', stateName: 'New York', zip: '10027', area: '212', weight: 2.5 },
  { city: 'Albany', state: 'NY', stateName: 'New York', zip: '12208', area: '518', weight: 1.5 },
  { city: 'Lake Placid', state: 'NY', stateName: 'New York', zip: '12946', area: '518', weight: 1 },
  { city: 'Boston', state: 'MA', stateName: 'Massachusetts', zip: '02130', area: '617', weight: 3 },
  { city: 'Northampton', state: 'MA', stateName: 'Massachusetts', zip: '01060', area: '413', weight: 1.5 },
  { city: 'Portland', state: 'ME', stateName: 'Maine', zip: '04101', area: '207', weight: 2 },
  { city: 'Bar Harbor', state: 'ME', stateName: 'Maine', zip: '04609', area: '207', weight: 0.8 },
  { city: 'North Conway', state: 'NH', stateName: 'New Hampshire', zip: '03860', area: '603', weight: 1.2 },
  { city: 'Hanover', state: 'NH', stateName: 'New Hampshire', zip: '03755', area: '603', weight: 1 },
  { city: 'New Haven', state: 'CT', stateName: 'Connecticut', zip: '06511', area: '203', weight: 1 },
  { city: 'Philadelphia', state: 'PA', stateName: 'Pennsylvania', zip: '19147', area: '215', weight: 1.5 },
  { city: 'Pittsburgh', state: 'PA', stateName: 'Pennsylvania', zip: '15213', area: '412', weight: 0.8 },
  { city: 'Asheville', state: 'NC', stateName: 'North Carolina', zip: '28801', area: '828', weight: 1.2 },
  { city: 'Boulder', state: 'CO', stateName: 'Colorado', zip: '80302', area: '303', weight: 1.5 },
  { city: 'Denver', state: 'CO', stateName: 'Colorado', zip: '80205', area: '303', weight: 1.2 },
  { city: 'Seattle', state: 'WA', stateName: 'Washington', zip: '98103', area: '206', weight: 1.5 },
  { city: 'Portland', state: 'OR', stateName: 'Oregon', zip: '97214', area: '503', weight: 1.3 },
  { city: 'Bend', state: 'OR', stateName: 'Oregon', zip: '97701', area: '541', weight: 0.8 },
  { city: 'Oakland', state: 'CA', stateName: 'California', zip: '94610', area: '510', weight: 1.2 },
  { city: 'Minneapolis', state: 'MN', stateName: 'Minnesota', zip: '55408', area: '612', weight: 1 },
  { city: 'Duluth', state: 'MN', stateName: 'Minnesota', zip: '55803', area: '218', weight: 0.7 },
  { city: 'Chicago', state: 'IL', stateName: 'Illinois', zip: '60647', area: '773', weight: 1 },
  { city: 'Madison', state: 'WI', stateName: 'Wisconsin', zip: '53703', area: '608', weight: 0.8 },
  { city: 'Salt Lake City', state: 'UT', stateName: 'Utah', zip: '84105', area: '801', weight: 0.8 },
  { city: 'Missoula', state: 'MT', stateName: 'Montana', zip: '59801', area: '406', weight: 0.6 },
];

/** State sales tax on taxable goods (state rate only; the demo skips local surcharges). */
const TAX_RATE_BP: Record<string, number> = {
  VT: 600, NY: 400, MA: 625, ME: 550, NH: 0, CT: 635, PA: 600, NC: 475, CO: 290, WA: 650,
  OR: 0, CA: 725, MN: 688, IL: 625, WI: 500, UT: 485, MT: 0,
};

const FIRST_NAMES = [
  'Avery', 'Maya', 'Jonah', 'Priya', 'Elliot', 'Hannah', 'Marcus', 'Lena', 'Owen', 'Sofia', 'Theo', 'Grace',
  'Caleb', 'Nora', 'Isaac', 'Ruth', 'Mateo', 'Wren', 'Daniel', 'Clara', 'Samir', 'Ingrid', 'Felix', 'Hazel',
  'Rowan', 'June', 'Tobias', 'Lucia', 'Aaron', 'Mira', 'Quinn', 'Esther', 'Declan', 'Anika', 'Silas', 'Tessa',
  'Malcolm', 'Ivy', 'Gabriel', 'Leah', 'Kenji', 'Freya', 'Victor', 'Zoe', 'Miles', 'Naomi', 'Jasper', 'Alma',
  'Reuben', 'Beatrix', 'Hugo', 'Celeste', 'Arjun', 'Margot', 'Dmitri', 'Paloma', 'Emmett', 'Talia', 'Cyrus',
  'Juniper', 'Ezra', 'Colette', 'Rafael', 'Astrid', 'Wesley', 'Imani', 'Oscar', 'Greta', 'Nikhil', 'Lorna',
];
const LAST_NAMES = [
  'Whitaker', 'Okafor', 'Lindqvist', 'Ramirez', 'Chen', 'Halvorsen', 'Brennan', 'Nakamura', 'Delgado', 'Fischer',
  'Abernathy', 'Kowalski', 'Marsh', 'Haddad', 'Sorensen', 'Pryor', 'Castellanos', 'Mbeki', 'Thornton', 'Vance',
  'Ashworth', 'Iverson', 'Morrow', 'Petrov', 'Quinlan', 'Rasmussen', 'Sutherland', 'Tanaka', 'Underhill', 'Wexler',
  'Yates', 'Alder', 'Bishop', 'Calloway', 'Dunmore', 'Ellery', 'Fairbanks', 'Gallagher', 'Hawthorne', 'Ishikawa',
  'Jansen', 'Kessler', 'Larkin', 'Moreau', 'Nilsen', 'Oyelaran', 'Pemberton', 'Reyes', 'Stroud', 'Trevino',
  'Vasquez', 'Winslow', 'Zeller', 'Bergstrom', 'Coulter', 'Draper', 'Engel', 'Fontaine', 'Greer', 'Holloway',
];
const STREETS = [
  'Maple St', 'Pine St', 'Lakeview Ter', 'Orchard Rd', 'Summit Ave', 'Birch Ln', 'Church St', 'Mill Rd',
  'Riverside Dr', 'Cedar St', 'Hillcrest Ave', 'Elm St', 'Union St', 'Prospect St', 'Willow Way', 'Ledge Rd',
  'Spruce Ct', 'Main St', 'Harbor View Rd', 'Aspen Dr',
];
const COMPANIES = ['Green Mountain Guides', 'Birch, Bark & Co.', 'Northwoods Outfitting LLC', 'Valley Trail Runners'];
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

type CustomerKind = 'subscriber' | 'first-time' | 'returning' | 'vip';

interface Customer {
  index: number;
  id: string;
  first: string;
  last: string;
  email: string;
  acceptsEmail: boolean;
  company: string;
  address1: string;
  address2: string;
  place: Place;
  phone: string;
  addressPhone: string;
  acceptsSms: boolean;
  note: string;
  kind: CustomerKind;
  /** Orders placed before the export window (not in orders_export.csv). */
  priorOrders: number;
  priorSpentCents: number;
  /** Orders planned inside the window. */
  windowOrders: number;
  tags: string[];
}

function asciiFold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z]/g, '').toLowerCase();
}

function buildCustomers(rng: Random): Customer[] {
  // Names written in on purpose: an apostrophe and accents appear in real customer lists.
  const fixedNames: [string, string][] = [['Siobhan', "O'Brien"], ['Renée', 'Dubois'], ['José', 'Álvarez']];
  const used = new Set<string>();
  const names: [string, string][] = [];
  for (const n of fixedNames) {
    names.push(n);
    used.add(n.join(' '));
  }
  while (names.length < 124) {
    const n: [string, string] = [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)];
    if (used.has(n.join(' '))) continue;
    used.add(n.join(' '));
    names.push(n);
  }
  rng.shuffle(names);

  // The mix of kinds is fixed, their order random: 6 newsletter-only subscribers, 60 first-time
  // buyers, 30 returning customers and 28 regulars with 3+ lifetime orders.
  const kinds: CustomerKind[] = [
    ...Array<CustomerKind>(6).fill('subscriber'),
    ...Array<CustomerKind>(60).fill('first-time'),
    ...Array<CustomerKind>(30).fill('returning'),
    ...Array<CustomerKind>(28).fill('vip'),
  ];
  rng.shuffle(kinds);

  const emails = new Set<string>();
  let phoneCounter = 0;
  let idCursor = 7_804_112_340_000;
  const customers = names.map(([first, last], index): Customer => {
    const kind = must(kinds[index], 'kind');
    const place = rng.weighted(PLACES, (p) => p.weight);
    let local = rng.chance(0.8) ? `${asciiFold(first)}.${asciiFold(last)}` : `${asciiFold(first).slice(0, 1)}${asciiFold(last)}`;
    let email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
    for (let k = 2; emails.has(email); k++) {
      local = `${asciiFold(first)}.${asciiFold(last)}${k}`;
      email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
    }
    emails.add(email);

    const hasPhone = rng.chance(kind === 'vip' ? 0.7 : 0.42) && phoneCounter < 100;
    // 555-0100..555-0199 is the range reserved for fiction; one number per customer.
    const phone = hasPhone ? `+1${place.area}55501${String(phoneCounter++).padStart(2, '0')}` : '';
    const acceptsSms = hasPhone && rng.chance(0.6);

    let priorOrders = 0;
    let windowOrders = 0;
    switch (kind) {
      case 'subscriber':
        break;
      case 'first-time':
        windowOrders = 1;
        break;
      case 'returning':
        priorOrders = rng.int(0, 1);
        windowOrders = priorOrders === 0 ? 2 : 1;
        break;
      case 'vip':
        priorOrders = rng.int(2, 9);
        windowOrders = rng.int(1, 4);
        break;
    }
    let priorSpentCents = 0;
    for (let i = 0; i < priorOrders; i++) priorSpentCents += rng.int(2_800, 26_000);

    idCursor += rng.int(40_000, 260_000);
    const company = rng.chance(0.05) ? rng.pick(COMPANIES) : '';
    return {
      index,
      id: String(idCursor),
      first,
      last,
      email,
      acceptsEmail: kind === 'subscriber' || rng.chance(kind === 'vip' ? 0.8 : 0.5),
      company,
      address1: `${rng.int(3, 2980)} ${rng.pick(STREETS)}`,
      address2: rng.chance(0.18) ? rng.pick(['Apt 2', 'Apt 4B', 'Unit 12', 'Suite 300', 'Apt 3, Rear']) : '',
      place,
      phone,
      addressPhone: hasPhone && rng.chance(0.7) ? phone : '',
      acceptsSms,
      note: '',
      kind,
      priorOrders,
      priorSpentCents,
      windowOrders,
      tags: kind === 'subscriber' ? ['newsletter'] : [],
    };
  });

  // Regulars reorder (coffee, mostly): spread extra orders over them until the window holds
  // exactly ORDER_COUNT orders.
  const regulars = customers.filter((c) => c.kind === 'vip' || c.kind === 'returning');
  let total = customers.reduce((s, c) => s + c.windowOrders, 0);
  while (total !== ORDER_COUNT) {
    const c = rng.pick(regulars);
    if (total < ORDER_COUNT && c.windowOrders < (c.kind === 'vip' ? 5 : 3)) {
      c.windowOrders++;
      total++;
    } else if (total > ORDER_COUNT && c.windowOrders > 1) {
      c.windowOrders--;
      total--;
    }
  }
  return customers;
}

// ---------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------

interface Line {
  variant: Variant;
  quantity: number;
  position: number;
  discountCents: number;
  status: 'fulfilled' | 'pending';
}

interface Order {
  number: number;
  name: string;
  id: string;
  customer: Customer;
  createdAt: number;
  lines: Line[];
  pickup: boolean;
  location: LocationName;
  shippingMethod: string;
  shippingCents: number;
  discountCode: string;
  discountPct: number;
  subtotalCents: number;
  taxCents: number;
  taxName: string;
  totalCents: number;
  financialStatus: 'paid' | 'refunded' | 'voided' | 'partially_refunded';
  paidAt: number | null;
  fulfillmentStatus: 'fulfilled' | 'partial' | 'unfulfilled';
  fulfilledAt: number | null;
  cancelledAt: number | null;
  refundedCents: number;
  notes: string;
  riskLevel: 'Low' | 'Medium' | 'High';
  source: string;
  paymentMethod: string;
  paymentRef: string;
  tags: string;
  /** A gift shipped somewhere else than the billing address. */
  giftRecipient: { name: string; address1: string; place: Place } | null;
  /** Which scripted scenario produced the order, if any (README cross-reference). */
  scenario: string;
}

interface Scenario {
  key: string;
  at: number;
  customer: 'vip' | 'first-time' | 'returning' | 'any';
  lines: { sku: string; lineName?: string; quantity: number }[];
  shippingMethod?: 'Expedited Shipping';
  cancel?: { at: number; financial: 'refunded' | 'voided'; risk: 'Low' | 'High'; note: string };
  partialRefundLine?: number;
  notes?: string;
  source?: string;
}

/** Hand-placed orders for the cases the demo has to show; everything else is drawn at random. */
const SCENARIOS: Scenario[] = [
  {
    // A VIP's order, two weeks old: the beanie shipped, the jacket is waiting (partial fulfilment,
    // one line in stock and one backordered).
    key: 'vip-partial',
    at: local(2026, 11, 13, 19, 42, 8),
    customer: 'vip',
    lines: [{ sku: 'JP-RDJ-SPR-M', quantity: 1 }, { sku: 'JP-TMB-RST', quantity: 1 }],
  },
  {
    // High value (> $500), placed on Thanksgiving, not shipped yet: the tent is backordered, the
    // pad and poles are in stock.
    key: 'high-value-mixed',
    at: local(2026, 11, 26, 9, 17, 45),
    customer: 'first-time',
    lines: [{ sku: 'JP-J2T-MOS', quantity: 1 }, { sku: 'JP-DSP-REG', quantity: 1 }, { sku: 'JP-CTP', quantity: 1 }],
    shippingMethod: 'Expedited Shipping',
  },
  {
    // Three flamed mugs as gifts; today's partial restock covers exactly one of them.
    key: 'partial-backorder-qty3',
    at: local(2026, 11, 6, 20, 5, 31),
    customer: 'first-time',
    lines: [{ sku: 'JP-TCM-FLM', quantity: 3 }],
    notes: 'These are gifts for my hiking group, please don\'t include the receipt. If the "flamed" ones take long, that\'s fine, I can wait.',
  },
  {
    // A VIP's high-value order: the long sleeping bag is backordered, the tent in Sand shipped.
    key: 'vip-high-value',
    at: local(2026, 11, 16, 12, 3, 57),
    customer: 'vip',
    lines: [{ sku: 'JP-A20-LNG', quantity: 1 }, { sku: 'JP-J2T-SND', quantity: 1 }],
  },
  {
    // Cancelled and refunded after waiting for the backordered tent: a cancelled line must never
    // count as a backorder, even though its fulfilment status still reads "pending".
    key: 'cancelled-refunded',
    at: local(2026, 11, 2, 8, 51, 12),
    customer: 'returning',
    lines: [{ sku: 'JP-J2T-MOS', quantity: 1 }, { sku: 'JP-BWS-M', quantity: 2 }],
    cancel: {
      at: local(2026, 11, 18, 10, 12, 40),
      financial: 'refunded',
      risk: 'Low',
      note: 'Customer cancelled: needed the tent for a trip on Nov 20.',
    },
  },
  {
    // Card authorisation voided the next morning (flagged high risk), cancelled before shipping.
    key: 'cancelled-voided',
    at: local(2026, 10, 14, 23, 10, 5),
    customer: 'first-time',
    lines: [{ sku: 'JP-CTP', quantity: 2 }, { sku: 'JP-FCS', quantity: 2 }],
    cancel: { at: local(2026, 10, 15, 8, 40, 22), financial: 'voided', risk: 'High', note: '' },
  },
  {
    // Shipped, then one item returned: partially refunded.
    key: 'partially-refunded',
    at: local(2026, 10, 8, 14, 22, 16),
    customer: 'returning',
    lines: [{ sku: 'JP-SFP-NVY-M', quantity: 1 }, { sku: 'JP-S24-LAK', quantity: 1 }],
    partialRefundLine: 0,
  },
  {
    // Two SKU-less percolator lines (matched by name only), one of them backordered, and a
    // multi-line note as real checkouts produce.
    key: 'no-sku-lines',
    at: local(2026, 11, 20, 7, 48, 3),
    customer: 'any',
    lines: [
      { sku: '', lineName: 'Enamel Percolator, 8-Cup - Forest', quantity: 1 },
      { sku: '', lineName: 'Enamel Percolator, 8-Cup - Cream', quantity: 1 },
      { sku: 'JP-JBC-DRK', quantity: 2 },
    ],
    notes: 'Cabin is at the end of the dirt road.\nLeave by the woodshed, not the porch.',
  },
  {
    // A VIP phoned this one in; the shop keyed it as a draft order.
    key: 'draft-order',
    at: local(2026, 10, 27, 11, 30, 0),
    customer: 'vip',
    lines: [{ sku: 'JP-SHG', quantity: 1 }, { sku: 'JP-JBC-MED', quantity: 2 }],
    source: 'shopify_draft_order',
  },
];

const HOUR_WEIGHTS: [number, number][] = [
  [7, 2], [8, 4], [9, 5], [10, 5], [11, 5], [12, 7], [13, 6], [14, 5], [15, 5], [16, 5], [17, 5],
  [18, 6], [19, 8], [20, 9], [21, 7], [22, 3],
];

function dayWeight(day: number): number {
  const t = WINDOW_START + day * DAY;
  const weekday = new Date(t).getUTCDay();
  let w = weekday === 0 || weekday === 6 ? 1.25 : 1;
  if (t >= local(2026, 11, 1)) w *= 1.25; // first cold weather: gear season
  if (t >= local(2026, 11, 20)) w *= 1.4;
  if (t === local(2026, 11, 26)) w *= 1.6; // Thanksgiving
  if (t === local(2026, 11, 27)) w *= 3.5; // Black Friday
  return w;
}

function drawTime(rng: Random, day: number): number {
  const [hour] = rng.weighted(HOUR_WEIGHTS, ([, w]) => w);
  return WINDOW_START + day * DAY + hour * HOUR + rng.int(0, 59) * 60_000 + rng.int(0, 59) * 1000;
}

function drawQuantity(rng: Random, v: Variant): number {
  if (v.product.handle === 'juniper-blend-whole-bean-coffee') return rng.weighted([1, 2, 3], (q) => [6, 3, 1][q - 1] ?? 0);
  if (v.product.type === 'Socks' || v.product.type === 'Hats' || v.product.type === 'Drinkware') return rng.chance(0.2) ? 2 : 1;
  return rng.chance(0.04) ? 2 : 1;
}

function drawLines(rng: Random, variants: Variant[], pickup: boolean): { variant: Variant; quantity: number }[] {
  const count = rng.weighted([1, 2, 3], (n) => [58, 30, 12][n - 1] ?? 0);
  // Pickup orders come off the Studio Shop shelf, which holds neither bulky gear nor the
  // oversold variants (their stock sits at Main Warehouse only).
  const pool = variants.filter((v) => !pickup || (!v.product.bulky && !v.oversold));
  const chosen: { variant: Variant; quantity: number }[] = [];
  while (chosen.length < count) {
    const v = rng.weighted(pool, (x) => x.popularity);
    if (chosen.some((c) => c.variant === v)) continue;
    chosen.push({ variant: v, quantity: drawQuantity(rng, v) });
  }
  return chosen;
}

function buildOrders(rng: Random, customers: Customer[], variants: Variant[]): Order[] {
  const bySku = new Map(variants.filter((v) => v.sku !== '').map((v) => [v.sku, v]));
  const byName = new Map(variants.map((v) => [v.lineName, v]));
  const findVariant = (sku: string, lineName?: string): Variant =>
    must(sku !== '' ? bySku.get(sku) : byName.get(lineName ?? ''), `scenario variant ${sku || lineName}`);

  const totalOrders = customers.reduce((s, c) => s + c.windowOrders, 0);

  // Order slots: scripted ones at their set times, the rest drawn over the window.
  const days = Array.from({ length: WINDOW_DAYS }, (_, i) => i);
  const times: { at: number; scenario: Scenario | null }[] = SCENARIOS.map((s) => ({ at: s.at, scenario: s }));
  // The window has a first and a last day with orders on them, whatever the draw.
  times.push({ at: drawTime(rng, 0), scenario: null }, { at: drawTime(rng, WINDOW_DAYS - 1), scenario: null });
  while (times.length < totalOrders) times.push({ at: drawTime(rng, rng.weighted(days, dayWeight)), scenario: null });
  times.sort((a, b) => a.at - b.at);

  // Customers to slots: a random permutation of each customer repeated windowOrders times, then
  // swaps so that every scripted slot gets a customer of the kind it needs.
  const pool: Customer[] = [];
  for (const c of customers) for (let i = 0; i < c.windowOrders; i++) pool.push(c);
  rng.shuffle(pool);
  if (pool.length !== times.length) throw new Error('demo store generator: slot count mismatch');
  times.forEach((slot, i) => {
    const want = slot.scenario?.customer;
    if (!want || want === 'any') return;
    const current = must(pool[i], 'pool');
    const fits = (c: Customer): boolean =>
      c.kind === want && (want !== 'vip' || c.priorOrders >= 4) && (want !== 'first-time' || c.windowOrders === 1);
    if (fits(current)) return;
    const j = pool.findIndex((c, k) => fits(c) && !times[k]?.scenario);
    if (j < 0) throw new Error(`demo store generator: no ${want} customer for ${slot.scenario?.key}`);
    pool[i] = must(pool[j], 'pool');
    pool[j] = current;
  });

  let idCursor = 6_918_430_150_000;
  const orders: Order[] = times.map((slot, i) => {
    const customer = must(pool[i], 'pool');
    const number = FIRST_ORDER_NUMBER + i;
    idCursor += rng.int(120_000, 2_400_000);
    const sc = slot.scenario;
    const pickup = !sc && customer.place.state === 'VT' && rng.chance(0.35);
    const picked = sc
      ? sc.lines.map((l) => ({ variant: findVariant(l.sku, l.lineName), quantity: l.quantity }))
      : drawLines(rng, variants, pickup);
    const lines: Line[] = picked.map((p, k) => ({ ...p, position: k + 1, discountCents: 0, status: 'fulfilled' }));
    return {
      number,
      name: `#${number}`,
      id: String(idCursor),
      customer,
      createdAt: slot.at,
      lines,
      pickup,
      location: pickup ? 'Studio Shop' : 'Main Warehouse',
      shippingMethod: '',
      shippingCents: 0,
      discountCode: '',
      discountPct: 0,
      subtotalCents: 0,
      taxCents: 0,
      taxName: '',
      totalCents: 0,
      financialStatus: 'paid',
      paidAt: slot.at + rng.int(2, 20) * 1000,
      fulfillmentStatus: 'unfulfilled',
      fulfilledAt: null,
      cancelledAt: null,
      refundedCents: 0,
      notes: sc?.notes ?? (sc?.cancel?.note ?? ''),
      riskLevel: sc?.cancel?.risk ?? (rng.chance(0.06) ? 'Medium' : 'Low'),
      source: sc?.source ?? 'web',
      paymentMethod: rng.chance(0.82) ? 'Shopify Payments' : 'PayPal Express Checkout',
      paymentRef: `c${String(31_204_000_000_000 + number * 7_919_117 + rng.int(0, 999_999))}.1`,
      tags: '',
      giftRecipient: null,
      scenario: sc?.key ?? '',
    };
  });

  // A few gifts shipped to someone else, and one "leave at the door" note with quotes and commas.
  for (const o of orders) {
    if (o.scenario || o.pickup) continue;
    if (rng.chance(0.05)) {
      const place = rng.weighted(PLACES, (p) => p.weight);
      o.giftRecipient = {
        name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
        address1: `${rng.int(3, 2980)} ${rng.pick(STREETS)}`,
        place,
      };
    } else if (o.notes === '' && rng.chance(0.03)) {
      o.notes = rng.pick(['Please leave it at the side door, thanks!', 'Gift, no invoice in the box please.', 'Call on arrival: 5th-floor walk-up, buzzer is broken']);
    }
  }

  pricing(rng, orders);
  fulfilment(rng, orders);
  return orders;
}

/** Discounts, shipping, tax and totals; the invariant Total = Σ price×qty − discount + shipping + tax. */
function pricing(rng: Random, orders: Order[]): void {
  for (const o of orders) {
    const c = o.customer;
    const firstOrderOfCustomer = orders.find((x) => x.customer === c) === o;
    if (c.kind === 'first-time' && rng.chance(0.3)) {
      o.discountCode = 'WELCOME10';
      o.discountPct = 10;
    } else if (c.kind === 'vip' && !firstOrderOfCustomer && rng.chance(0.3)) {
      o.discountCode = 'TRAILCREW15';
      o.discountPct = 15;
    }
    const gross = o.lines.reduce((s, l) => s + l.variant.price * l.quantity, 0);
    const discount = Math.round((gross * o.discountPct) / 100);
    // Shopify allocates an order discount across lines; the last line takes the rounding rest.
    let allocated = 0;
    o.lines.forEach((l, i) => {
      l.discountCents =
        i === o.lines.length - 1 ? discount - allocated : Math.round((l.variant.price * l.quantity * o.discountPct) / 100);
      allocated += l.discountCents;
    });
    o.subtotalCents = gross - discount;

    const scenario = SCENARIOS.find((s) => s.key === o.scenario);
    if (o.pickup) {
      o.shippingMethod = 'Pickup at Studio Shop';
      o.shippingCents = 0;
    } else if (scenario?.shippingMethod === 'Expedited Shipping' || rng.chance(0.08)) {
      o.shippingMethod = 'Expedited Shipping';
      o.shippingCents = 1995;
    } else if (o.subtotalCents >= 9900) {
      o.shippingMethod = 'Free Standard Shipping';
      o.shippingCents = 0;
    } else {
      o.shippingMethod = 'Standard Shipping';
      o.shippingCents = 895;
    }

    const state = o.pickup ? 'VT' : (o.giftRecipient?.place ?? c.place).state;
    const rateBp = must(TAX_RATE_BP[state], `tax rate for ${state}`);
    const taxable = o.lines.filter((l) => l.variant.product.taxable).reduce((s, l) => s + l.variant.price * l.quantity - l.discountCents, 0);
    o.taxCents = Math.round((taxable * rateBp) / 10_000);
    o.taxName = rateBp > 0 && o.taxCents > 0 ? `${state} State Tax ${rateBp / 100}%` : '';
    o.totalCents = o.subtotalCents + o.shippingCents + o.taxCents;
  }
}

/** Which lines shipped: everything placed before the Thanksgiving backlog, except oversold stock. */
function fulfilment(rng: Random, orders: Order[]): void {
  for (const o of orders) {
    const sc = SCENARIOS.find((s) => s.key === o.scenario);
    if (sc?.cancel) {
      o.cancelledAt = sc.cancel.at;
      o.financialStatus = sc.cancel.financial;
      for (const l of o.lines) l.status = 'pending';
      if (sc.cancel.financial === 'voided') o.paidAt = null;
      else o.refundedCents = o.totalCents;
      o.fulfillmentStatus = 'unfulfilled';
      continue;
    }
    const shipped = dayStart(o.createdAt) + rng.int(1, 2) * DAY + rng.int(9, 16) * HOUR + rng.int(0, 3599) * 1000;
    for (const l of o.lines) {
      const waiting = o.createdAt >= SHIPPING_CUTOFF || (l.variant.oversold !== undefined && o.createdAt >= l.variant.oversold.outSince);
      l.status = waiting ? 'pending' : 'fulfilled';
    }
    const done = o.lines.filter((l) => l.status === 'fulfilled').length;
    o.fulfillmentStatus = done === o.lines.length ? 'fulfilled' : done === 0 ? 'unfulfilled' : 'partial';
    // Shopify fills "Fulfilled at" only once the whole order has shipped.
    o.fulfilledAt = o.fulfillmentStatus === 'fulfilled' ? shipped : null;
    if (o.fulfilledAt !== null && o.fulfilledAt >= EXPORTED_AT) throw new Error(`demo store generator: ${o.name} ships after export`);
    if (sc?.partialRefundLine !== undefined) {
      const l = must(o.lines[sc.partialRefundLine], 'refund line');
      const rateBp = TAX_RATE_BP[o.customer.place.state] ?? 0;
      const net = l.variant.price * l.quantity - l.discountCents;
      o.refundedCents = net + (l.variant.product.taxable ? Math.round((net * rateBp) / 10_000) : 0);
      o.financialStatus = 'partially_refunded';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inventory
// ---------------------------------------------------------------------------------------------

interface Level {
  variant: Variant;
  location: LocationName;
  incoming: number;
  unavailable: number;
  committed: number;
  available: number;
  onHand: number;
}

/** Open lines: not cancelled, not shipped. They are what Shopify counts as committed. */
function openLines(orders: Order[]): { order: Order; line: Line }[] {
  const out: { order: Order; line: Line }[] = [];
  for (const order of orders) {
    if (order.cancelledAt !== null) continue;
    for (const line of order.lines) if (line.status === 'pending') out.push({ order, line });
  }
  return out;
}

const fifo = (a: { order: Order; line: Line }, b: { order: Order; line: Line }): number =>
  a.order.createdAt - b.order.createdAt || a.order.number - b.order.number || a.line.position - b.line.position;

function buildInventory(rng: Random, variants: Variant[], orders: Order[]): Level[] {
  const open = openLines(orders);
  const levels: Level[] = [];
  for (const v of variants) {
    for (const location of DEMO_LOCATIONS) {
      const committed = open
        .filter((o) => o.line.variant === v && o.order.location === location)
        .reduce((s, o) => s + o.line.quantity, 0);
      const main = location === 'Main Warehouse';
      if (v.oversold) {
        if (!main) {
          if (committed !== 0) throw new Error(`demo store generator: ${v.lineName} committed at the Studio Shop`);
          levels.push({ variant: v, location, incoming: 0, unavailable: 0, committed: 0, available: 0, onHand: 0 });
          continue;
        }
        let onHand: number;
        if (v.oversold.onHand === 'partial-qty3') {
          const queue = open.filter((o) => o.line.variant === v).sort(fifo);
          const at = queue.findIndex((o) => o.line.quantity === 3);
          if (at < 0) throw new Error(`demo store generator: no open 3-unit line for ${v.lineName}`);
          onHand = queue.slice(0, at).reduce((s, o) => s + o.line.quantity, 0) + 1;
        } else {
          onHand = v.oversold.onHand;
        }
        if (committed <= onHand) throw new Error(`demo store generator: ${v.lineName} is not oversold`);
        levels.push({ variant: v, location, incoming: v.oversold.incoming, unavailable: 0, committed, available: onHand - committed, onHand });
        continue;
      }
      const unavailable = main ? (v.unavailable ?? 0) : 0;
      const [lo, hi] = v.available ?? (main ? [2, Math.round(6 + v.popularity * 7)] : v.product.bulky ? [0, 0] : [0, 6]);
      const available = rng.int(lo, hi);
      levels.push({
        variant: v,
        location,
        incoming: main ? (v.incoming ?? 0) : 0,
        unavailable,
        committed,
        available,
        onHand: available + committed + unavailable,
      });
    }
  }
  return levels;
}

/** The backorders the app should find: on hand summed over locations, allocated FIFO to open lines. */
export interface ExpectedBackorder {
  order: string;
  createdAt: string;
  customerEmail: string;
  lineName: string;
  sku: string;
  quantity: number;
  covered: number;
  backordered: number;
}

function expectedBackorders(orders: Order[], levels: Level[]): ExpectedBackorder[] {
  const open = openLines(orders).sort(fifo);
  const remaining = new Map<Variant, number>();
  for (const l of levels) remaining.set(l.variant, (remaining.get(l.variant) ?? 0) + l.onHand);
  const out: ExpectedBackorder[] = [];
  for (const { order, line } of open) {
    const left = remaining.get(line.variant) ?? 0;
    const covered = Math.min(left, line.quantity);
    remaining.set(line.variant, left - covered);
    if (covered < line.quantity) {
      out.push({
        order: order.name,
        createdAt: stamp(order.createdAt),
        customerEmail: order.customer.email,
        lineName: line.variant.lineName,
        sku: line.variant.sku,
        quantity: line.quantity,
        covered,
        backordered: line.quantity - covered,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSV rows
// ---------------------------------------------------------------------------------------------

function orderRows(orders: Order[]): Row[] {
  const rows: Row[] = [];
  for (const o of orders) {
    const c = o.customer;
    const created = stamp(o.createdAt);
    o.lines.forEach((l, i) => {
      const v = l.variant;
      const lineFields: Row = {
        Name: o.name,
        Email: c.email,
        'Created at': created,
        'Lineitem quantity': String(l.quantity),
        'Lineitem name': v.lineName,
        'Lineitem price': money(v.price),
        'Lineitem compare at price': v.compareAt !== undefined ? money(v.compareAt) : i === 0 ? '' : QUOTED_EMPTY,
        'Lineitem sku': v.sku || (i === 0 ? '' : QUOTED_EMPTY),
        'Lineitem requires shipping': 'true',
        'Lineitem taxable': v.product.taxable ? 'true' : 'false',
        // Shopify reports an unshipped line as "pending", not "unfulfilled".
        'Lineitem fulfillment status': l.status,
        Vendor: v.product.vendor,
        'Lineitem discount': money(l.discountCents),
        Phone: c.phone,
      };
      if (i > 0) {
        rows.push(lineFields);
        return;
      }
      const street = c.address2 ? `${c.address1}, ${c.address2}` : c.address1;
      const ship = o.giftRecipient;
      const shipPlace = ship?.place ?? c.place;
      const billingName = `${c.first} ${c.last}`;
      const first: Row = {
        ...lineFields,
        'Financial Status': o.financialStatus,
        'Paid at': o.paidAt !== null ? stamp(o.paidAt) : '',
        'Fulfillment Status': o.fulfillmentStatus,
        'Fulfilled at': o.fulfilledAt !== null ? stamp(o.fulfilledAt) : '',
        'Accepts Marketing': c.acceptsEmail ? 'yes' : 'no',
        Currency: CURRENCY,
        Subtotal: money(o.subtotalCents),
        Shipping: money(o.shippingCents),
        Taxes: money(o.taxCents),
        Total: money(o.totalCents),
        'Discount Code': o.discountCode || QUOTED_EMPTY,
        'Discount Amount': money(o.lines.reduce((s, x) => s + x.discountCents, 0)),
        'Shipping Method': o.shippingMethod,
        'Billing Name': billingName,
        'Billing Street': street,
        'Billing Address1': c.address1,
        'Billing Address2': c.address2,
        'Billing Company': c.company,
        'Billing City': c.place.city,
        // Shopify prefixes numeric ZIP codes with an apostrophe so spreadsheets keep the zero.
        'Billing Zip': `'${c.place.zip}`,
        'Billing Province': c.place.state,
        'Billing Country': 'US',
        'Billing Phone': c.addressPhone,
        'Notes': o.notes,
        'Note Attributes': QUOTED_EMPTY,
        'Cancelled at': o.cancelledAt !== null ? stamp(o.cancelledAt) : '',
        'Payment Method': o.paymentMethod,
        'Payment Reference': o.paymentRef,
        'Refunded Amount': money(o.refundedCents),
        'Outstanding Balance': '0.00',
        Id: o.id,
        Tags: o.tags || QUOTED_EMPTY,
        'Risk Level': o.riskLevel,
        Source: o.source,
        'Tax 1 Name': o.taxName,
        'Tax 1 Value': o.taxName ? money(o.taxCents) : '',
        'Billing Province Name': c.place.stateName,
        'Payment ID': o.paymentRef,
        'Payment References': o.paymentRef,
      };
      if (!o.pickup) {
        Object.assign(first, {
          'Shipping Name': ship?.name ?? billingName,
          'Shipping Street': ship ? ship.address1 : street,
          'Shipping Address1': ship ? ship.address1 : c.address1,
          'Shipping Address2': ship ? '' : c.address2,
          'Shipping Company': ship ? '' : c.company,
          'Shipping City': shipPlace.city,
          'Shipping Zip': `'${shipPlace.zip}`,
          'Shipping Province': shipPlace.state,
          'Shipping Country': 'US',
          'Shipping Phone': ship ? '' : c.addressPhone,
          'Shipping Province Name': shipPlace.stateName,
        });
      }
      rows.push(first);
    });
  }
  return rows;
}

function productRows(products: Product[], levels: Level[]): Row[] {
  const rows: Row[] = [];
  for (const p of products) {
    p.variants.forEach((v, i) => {
      const available = levels.filter((l) => l.variant === v).reduce((s, l) => s + l.available, 0);
      const row: Row = {
        Handle: p.handle,
        'Option1 Value': v.values[0] ?? 'Default Title',
        'Option2 Value': v.values[1] ?? '',
        'Option3 Value': v.values[2] ?? '',
        'Variant SKU': v.sku,
        'Variant Grams': `${p.grams}.0`,
        'Variant Inventory Tracker': 'shopify',
        'Variant Inventory Qty': String(available),
        'Variant Inventory Policy': p.policy,
        'Variant Fulfillment Service': 'manual',
        'Variant Price': money(v.price),
        'Variant Compare At Price': v.compareAt !== undefined ? money(v.compareAt) : '',
        'Variant Requires Shipping': 'true',
        'Variant Taxable': p.taxable ? 'true' : 'false',
        'Unit Price Total Measure': p.unitPrice?.total ?? '',
        'Unit Price Total Measure Unit': p.unitPrice?.totalUnit ?? '',
        'Unit Price Base Measure': p.unitPrice?.base ?? '',
        'Unit Price Base Measure Unit': p.unitPrice?.baseUnit ?? '',
        'Variant Barcode': v.barcode,
        'Variant Weight Unit': p.weightUnit,
        'Cost per item': money(v.cost),
      };
      if (i === 0) {
        Object.assign(row, {
          Title: p.title,
          'Body (HTML)': p.body,
          Vendor: p.vendor,
          'Product Category': p.category,
          Type: p.type,
          Tags: p.tags,
          Published: 'true',
          'Option1 Name': p.options[0] ?? 'Title',
          'Option2 Name': p.options[1] ?? '',
          'Option3 Name': p.options[2] ?? '',
          'Image Src': `https://cdn.example.com/juniper-and-pine/products/${p.handle}.jpg`,
          'Image Position': '1',
          'Image Alt Text': p.title,
          'Gift Card': 'false',
          Status: 'active',
        });
      }
      rows.push(row);
    });
  }
  return rows;
}

function inventoryRows(levels: Level[]): Row[] {
  return levels.map((l) => {
    const v = l.variant;
    const p = v.product;
    const main = l.location === 'Main Warehouse';
    return {
      Handle: p.handle,
      Title: p.title,
      'Option1 Name': p.options[0] ?? 'Title',
      'Option1 Value': v.values[0] ?? 'Default Title',
      'Option2 Name': p.options[1] ?? '',
      'Option2 Value': v.values[1] ?? '',
      'Option3 Name': p.options[2] ?? '',
      'Option3 Value': v.values[2] ?? '',
      SKU: v.sku,
      'HS Code': p.hsCode,
      COO: p.coo,
      Location: l.location,
      'Bin name': main ? v.binName : p.bulky ? '' : 'Back room',
      'Incoming (not editable)': String(l.incoming),
      'Unavailable (not editable)': String(l.unavailable),
      'Committed (not editable)': String(l.committed),
      'Available (not editable)': String(l.available),
      'On hand (current)': String(l.onHand),
      'On hand (new)': '',
    };
  });
}

function customerRows(customers: Customer[], orders: Order[]): Row[] {
  return customers.map((c) => {
    const mine = orders.filter((o) => o.customer === c);
    const spent = c.priorSpentCents + mine.reduce((s, o) => s + (o.financialStatus === 'voided' ? 0 : o.totalCents - o.refundedCents), 0);
    return {
      // Shopify prefixes the numeric id and phone numbers with an apostrophe in this export.
      'Customer ID': `'${c.id}`,
      'First Name': c.first,
      'Last Name': c.last,
      Email: c.email,
      'Accepts Email Marketing': c.acceptsEmail ? 'yes' : 'no',
      'Default Address Company': c.company,
      'Default Address Address1': c.address1,
      'Default Address Address2': c.address2,
      'Default Address City': c.place.city,
      'Default Address Province Code': c.place.state,
      'Default Address Country Code': 'US',
      'Default Address Zip': c.place.zip,
      'Default Address Phone': c.addressPhone ? `'${c.addressPhone}` : '',
      Phone: c.phone ? `'${c.phone}` : '',
      'Accepts SMS Marketing': c.acceptsSms ? 'yes' : 'no',
      'Total Spent': money(spent),
      'Total Orders': String(c.priorOrders + mine.length),
      Note: c.note,
      'Tax Exempt': 'no',
      Tags: c.tags.join(', '),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

/** Headline figures of the generated store, for the README and for tests that drive the app. */
export interface DemoStoreFacts {
  storeName: string;
  orders: number;
  lineItems: number;
  products: number;
  variants: number;
  customers: number;
  newestOrderDate: string;
  oversoldVariants: { lineName: string; sku: string; onHand: number; committed: number; available: number; incoming: number }[];
  backorders: ExpectedBackorder[];
}

/**
 * Builds the whole demo store in memory: the file contents keyed by file name, and the facts the
 * README states. Pure and deterministic.
 */
export function buildDemoStore(): { files: Record<DemoFile, string>; facts: DemoStoreFacts } {
  const rng = new Random(20261127);
  const { products, variants } = buildCatalogue();
  const customers = buildCustomers(rng);
  const orders = buildOrders(rng, customers, variants);
  const levels = buildInventory(rng, variants, orders);

  // Customer notes and tags depend on what they bought, so they are set after the orders.
  for (const c of customers) {
    const total = c.priorOrders + orders.filter((o) => o.customer === c).length;
    if (total >= 8) c.tags.push('VIP');
    if (orders.some((o) => o.customer === c && o.pickup)) c.tags.push('local pickup');
    if (c.company === 'Green Mountain Guides') c.note = 'Guide outfit: ask about the group rate before big orders.';
  }
  const vipWithNote = customers.find((c) => c.tags.includes('VIP') && c.note === '');
  if (vipWithNote) vipWithNote.note = 'Regular since the 2024 trail festival; prefers a call over email for anything urgent.';

  const backorders = expectedBackorders(orders, levels);
  const oversold = levels
    .filter((l) => l.variant.oversold && l.location === 'Main Warehouse')
    .map((l) => ({
      lineName: l.variant.lineName,
      sku: l.variant.sku,
      onHand: l.onHand,
      committed: l.committed,
      available: l.available,
      incoming: l.incoming,
    }));
  const facts: DemoStoreFacts = {
    storeName: STORE_NAME,
    orders: orders.length,
    lineItems: orders.reduce((s, o) => s + o.lines.length, 0),
    products: products.length,
    variants: variants.length,
    customers: customers.length,
    newestOrderDate: dateOnly(must(orders[orders.length - 1], 'orders').createdAt),
    oversoldVariants: oversold,
    backorders,
  };
  if (facts.newestOrderDate !== dateOnly(NEWEST_DAY)) throw new Error('demo store generator: newest order is not on the last day');

  const files: Record<DemoFile, string> = {
    'orders_export.csv': toCsv(ORDERS_HEADER, orderRows(orders)),
    'products_export.csv': toCsv(PRODUCTS_HEADER, productRows(products, levels)),
    'inventory_export.csv': toCsv(INVENTORY_HEADER, inventoryRows(levels)),
    'customers_export.csv': toCsv(CUSTOMERS_HEADER, customerRows(customers, orders)),
    'store.json': storeJson(),
    'README.md': readme(facts, orders, customers, variants),
  };
  return { files, facts };
}

/** The demo store's files (name → content), exactly as committed under resources/demo/. */
export function generateDemoStore(): Record<DemoFile, string> {
  return buildDemoStore().files;
}

/**
 * What the CSV exports cannot say about the store, read by the app's demo loader
 * (src/main/demo/demo-store.ts): its name, time zone, sender address and customer-facing links.
 */
function storeJson(): string {
  const meta = {
    storeName: STORE_NAME,
    timezone: 'America/New_York',
    currency: CURRENCY,
    fromAddress: `${STORE_NAME} <hello@example.com>`,
    statusUrlTemplate: 'https://shop.example.com/orders/{order}/status',
    faqUrl: 'https://shop.example.com/pages/backorders-faq',
    locations: [...DEMO_LOCATIONS],
  };
  return JSON.stringify(meta, null, 2) + '\n';
}

function readme(facts: DemoStoreFacts, orders: Order[], customers: Customer[], variants: Variant[]): string {
  const totalOrdersOf = (c: Customer): number => c.priorOrders + orders.filter((o) => o.customer === c).length;
  const vips = customers.filter((c) => totalOrdersOf(c) >= 3).length;
  const vipTagged = customers.filter((c) => c.tags.includes('VIP')).length;
  const firstTime = customers.filter((c) => totalOrdersOf(c) === 1).length;
  const noOrders = customers.filter((c) => totalOrdersOf(c) === 0).length;
  const sms = customers.filter((c) => c.acceptsSms).length;
  const highValue = orders.filter((o) => o.totalCents > 50_000 && o.cancelledAt === null);
  const byStatus = (s: Order['fulfillmentStatus']): number => orders.filter((o) => o.cancelledAt === null && o.fulfillmentStatus === s).length;
  const cancelled = orders.filter((o) => o.cancelledAt !== null);
  const noSkuLines = orders.reduce((s, o) => s + o.lines.filter((l) => l.variant.sku === '').length, 0);
  const continueCount = variants.filter((v) => v.product.policy === 'continue').length;
  const units = facts.backorders.reduce((s, b) => s + b.backordered, 0);
  const scenario = (key: string): string => must(orders.find((o) => o.scenario === key), key).name;
  const partial = must(facts.backorders.find((b) => b.covered > 0), 'partial backorder');
  const draft = scenario('draft-order');
  const draftGrinder = facts.backorders.some((b) => b.order === draft && b.sku === 'JP-SHG')
    ? 'its grinder line is backordered'
    : 'its grinder line is covered by the two units on hand';

  const perVariant = facts.oversoldVariants
    .map((v) => {
      const lines = facts.backorders.filter((b) => b.lineName === v.lineName);
      const story = must(variants.find((x) => x.lineName === v.lineName)?.oversold, 'story').story;
      return `| ${v.lineName} | ${v.sku || '(none)'} | ${v.onHand} | ${v.committed} | ${v.available} | ${v.incoming} | ${lines.length} | ${story} |`;
    })
    .join('\n');
  const list = facts.backorders
    .map((b) => `| ${b.order} | ${b.createdAt.slice(0, 16)} | ${b.lineName} | ${b.sku || '(none)'} | ${b.quantity} | ${b.backordered} |`)
    .join('\n');

  return `# Demo store: ${facts.storeName}

A small, invented US shop selling outdoor and coffee gear from Burlington, Vermont, as four Shopify
admin CSV exports. It lets a new user see the whole Backorder Desk loop without connecting a store:
import the four files, and the app finds the backorders listed below.

**Generated, not hand-edited.** \`npx tsx scripts/make-demo-store.ts\` rewrites every file in this
folder (this README included) from a seeded PRNG; \`test/unit/demo-store.test.ts\` checks that a
fresh run reproduces them byte for byte and that the invariants below hold. Change the generator,
never the files.

All people, addresses and companies are fictional. Emails use the RFC 2606 domains
(example.com/.org/.net), phone numbers the 555-0100–555-0199 range reserved for fiction, images
point at cdn.example.com.

## The store

- Currency USD; time zone America/New_York: timestamps carry -0400 until 1 Nov 2026 (EDT) and
  -0500 from then on (EST).
- ${facts.orders} orders (${orders[0]?.name}–${orders[orders.length - 1]?.name}, ${facts.lineItems} line items) placed
  ${dateOnly(WINDOW_START)} – ${facts.newestOrderDate}; the newest on Black Friday, ${facts.newestOrderDate}. Orders placed
  before 25 Nov have shipped unless they wait for oversold stock; the Thanksgiving-week orders have
  not shipped yet. Status: ${byStatus('fulfilled')} fulfilled, ${byStatus('partial')} partially fulfilled, ${byStatus('unfulfilled')} unfulfilled, ${cancelled.length} cancelled.
- ${facts.products} products, ${facts.variants} variants (options Color, Size, Length, Finish, Roast; some single-variant
  products), ${continueCount} with inventory policy \`continue\`, the rest \`deny\`.
- Two locations: Main Warehouse (ships every online order) and Studio Shop (the Burlington
  storefront; serves "Pickup at Studio Shop" orders).
- ${facts.customers} customers: ${vips} with 3 or more orders (${vipTagged} of them tagged \`VIP\` by the owner), ${firstTime}
  first-time buyers (Total Orders = 1), ${noOrders} newsletter subscribers who never ordered; ${sms} accept SMS
  marketing. Total Orders and Total Spent include orders placed before the export window.
- ${highValue.length} open orders above $500.

## What the app should find

${facts.backorders.length} backordered line items (${units} units), all on the oversold \`continue\` variants below. Rule
(DESIGN.md): per variant, on-hand stock summed over locations is allocated to open line items (not
cancelled, not fulfilled) in order-date order; what a line cannot get is backordered.

| Variant | SKU | On hand | Committed | Available | Incoming | Backordered lines | Why |
|---|---|---|---|---|---|---|---|
${perVariant}

Cases worth a look:

- ${scenario('partial-backorder-qty3')}: 3 × Flamed mug, of which today's partial restock covers ${partial.covered} (partial
  backorder of ${partial.backordered}). Its note contains quotes and commas.
- ${scenario('vip-partial')}: a VIP's order, partially fulfilled: the beanie shipped, the Spruce/M jacket waits.
- ${scenario('vip-high-value')}: a VIP's order above $500: the long sleeping bag waits, the tent shipped.
- ${scenario('high-value-mixed')}: above $500, placed on Thanksgiving: the Moss tent is backordered, the pad and
  poles are in stock (nothing has shipped yet).
- ${scenario('no-sku-lines')}: SKU-less percolator lines, matched by name only
  ("Enamel Percolator, 8-Cup - Forest"); its note spans two lines.
- ${scenario('cancelled-refunded')} (cancelled, refunded, had a Moss tent line) and ${scenario('cancelled-voided')} (cancelled,
  voided, high risk): their lines still read "pending", but cancelled orders are never backorders.
- ${scenario('partially-refunded')}: shipped, one item returned (financial status partially_refunded).
- ${draft}: phoned in by a VIP (source shopify_draft_order); ${draftGrinder}.
- ${noSkuLines} line items have no SKU at all.

Full list of the expected backorders:

| Order | Created | Line item | SKU | Qty | Backordered |
|---|---|---|---|---|---|
${list}

## Files and headers

\`store.json\` holds what the exports cannot say: the store's name, time zone, sender address and
the order-status and FAQ links used in customer messages (all on example.com).

Every CSV file is UTF-8 without a BOM, LF line endings, RFC 4180 quoting (only fields holding a comma,
quote or line break are quoted).

- \`orders_export.csv\`: Shopify's current 79-column orders export header, byte for byte the header
  of the corpus sample \`../shared/corpus/shopify/csv/forezia-mock-data/orders_export.csv\`. One row per
  line item; order-level fields only on an order's first row; later rows repeat Name, Email,
  Created at and Phone and carry the Lineitem fields (as in that sample).
- \`products_export.csv\`: the product export header
  (\`Handle,Title,Body (HTML),…,Variant Tax Code,Cost per item,Status\`). Public admin exports from 2025–2026
  still use this layout; Shopify's help center page "Using CSV files to import and export
  products" now documents an import template with renamed columns (\`Title,URL handle,Description,…\`),
  which an importer should accept too. Real exports add columns for Google Shopping, metafields
  and market prices; this demo leaves them out. \`Variant Inventory Qty\` is Shopify's *available*
  summed over both locations, negative for the oversold variants.
- \`inventory_export.csv\`: the "All quantity types" inventory export, one row per variant and
  location: \`Handle,Title,Option1 Name,…,SKU,HS Code,COO,Location,Bin name,Incoming (not editable),
  Unavailable (not editable),Committed (not editable),Available (not editable),On hand (current),
  On hand (new)\`. Source: Shopify help center "Exporting or importing inventory with a CSV file"
  (quantity columns Available, Unavailable, Committed, On hand, Incoming) and public fixtures that
  reproduce the exported header. On hand = Available + Committed + Unavailable on every row;
  Committed is the unshipped quantity of open orders at that location.
- \`customers_export.csv\`: \`Customer ID,First Name,Last Name,Email,Accepts Email Marketing,…,Total
  Spent,Total Orders,Note,Tax Exempt,Tags\`, as in public Shopify customer exports (which may add
  store-specific columns such as Accepts WhatsApp Marketing or metafields).

Quirks reproduced on purpose, because real exports have them:

- Apostrophe prefixes: \`Customer ID\` (\`'7804…\`), phone numbers in the customers export
  (\`'+1802…\`) and ZIP codes in the orders export (\`'05401\`). Importers must strip them.
- Unshipped line items read \`pending\` in \`Lineitem fulfillment status\`, not \`unfulfilled\`; an
  order's \`Fulfilled at\` is empty until the whole order has shipped.
- Some empty values are written as \`""\` (Discount Code, Note Attributes, Tags, Lineitem compare at
  price), exactly as the corpus sample does.
- Non-ASCII text: "Alpine 20°F Down Sleeping Bag", customers named Renée and José; a product title
  and a company with commas; an O'Brien.
- Real exports may also say \`not stocked\` for a location that never held a variant; this demo
  stocks every variant at both locations, with 0 at the Studio Shop where needed.
`;
}

/** Writes the demo store into resources/demo/ (or the folder given as the first argument). */
function main(): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const outDir = path.resolve(process.argv[2] ?? path.join(here, '..', 'resources', 'demo'));
  fs.mkdirSync(outDir, { recursive: true });
  const { files, facts } = buildDemoStore();
  for (const name of DEMO_FILES) fs.writeFileSync(path.join(outDir, name), files[name]);
  process.stdout.write(
    `wrote ${DEMO_FILES.length} files to ${outDir}: ${facts.orders} orders, ${facts.variants} variants, ` +
      `${facts.customers} customers, ${facts.backorders.length} backordered lines\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
