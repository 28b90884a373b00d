/**
 * Which Shopify export a header belongs to, and which version of it.
 *
 * Sources (Shopify Help Center): "Exporting orders" (orders_export.csv, one row per line item),
 * "Using CSV files to import and export products" (classic 'Handle…Variant SKU' header and the 2024
 * 'URL handle…SKU' header), "Exporting or importing inventory with a CSV file" (older: one column per
 * location holding Available; newer: one row per variant and location with Incoming, Unavailable,
 * Committed, Available, On hand) and "Exporting customers" (current 'Customer ID…Accepts Email
 * Marketing' header; older 'Accepts Marketing' / 'Company' header).
 *
 * Only a core set of columns is required per kind, so older exports with fewer columns still import;
 * every other column is optional. Column names compare case-insensitively (see `normalizeColumnName`).
 */
import type { ImportKind } from '../../../shared/domain';
import { AppError } from '../../../shared/result';
import { normalizeColumnName, type Columns } from './csv';

/** A recognised export: its kind and a stable layout name stored in the `imports` table. */
export interface Layout {
  kind: ImportKind;
  /** e.g. 'orders/current', 'orders/older', 'inventory/row-per-location'. */
  name: string;
}

/** The 79 columns of the orders export as the Shopify admin writes it today (2025). */
export const ORDERS_CURRENT_HEADER: readonly string[] = [
  'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Accepts Marketing', 'Currency',
  'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Code', 'Discount Amount', 'Shipping Method', 'Created at',
  'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem compare at price', 'Lineitem sku',
  'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status', 'Billing Name', 'Billing Street',
  'Billing Address1', 'Billing Address2', 'Billing Company', 'Billing City', 'Billing Zip', 'Billing Province',
  'Billing Country', 'Billing Phone', 'Shipping Name', 'Shipping Street', 'Shipping Address1', 'Shipping Address2',
  'Shipping Company', 'Shipping City', 'Shipping Zip', 'Shipping Province', 'Shipping Country', 'Shipping Phone',
  'Notes', 'Note Attributes', 'Cancelled at', 'Payment Method', 'Payment Reference', 'Refunded Amount', 'Vendor',
  'Outstanding Balance', 'Employee', 'Location', 'Device ID', 'Id', 'Tags', 'Risk Level', 'Source',
  'Lineitem discount', 'Tax 1 Name', 'Tax 1 Value', 'Tax 2 Name', 'Tax 2 Value', 'Tax 3 Name', 'Tax 3 Value',
  'Tax 4 Name', 'Tax 4 Value', 'Tax 5 Name', 'Tax 5 Value', 'Phone', 'Receipt Number', 'Duties',
  'Billing Province Name', 'Shipping Province Name', 'Payment ID', 'Payment Terms Name', 'Next Payment Due At',
  'Payment References',
];

/** Columns each kind cannot do without, as Shopify spells them (compared case-insensitively). */
export const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  orders: ['Name', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem sku', 'Lineitem fulfillment status'],
  'products/classic': ['Handle', 'Title', 'Option1 Value', 'Variant SKU', 'Variant Price'],
  'products/2024': ['URL handle', 'Title', 'Option1 value', 'SKU', 'Price'],
  'inventory/row-per-location': ['Handle', 'Title', 'SKU', 'Location', 'Available'],
  'inventory/column-per-location': ['Handle', 'Title', 'SKU', '<one column per location>'],
  customers: ['First Name', 'Last Name', 'Email', 'Total Spent', 'Total Orders'],
};

const KIND_LABEL: Readonly<Record<ImportKind, string>> = {
  orders: 'orders export',
  products: 'products export',
  inventory: 'inventory export',
  customers: 'customers export',
};

function missing(cols: Columns, names: readonly string[]): string[] {
  return names.filter((n) => !n.startsWith('<') && !cols.has(normalizeColumnName(n)));
}

/** Identity and bookkeeping columns of the older inventory layout; every other column is a location. */
const INVENTORY_NON_LOCATION = new Set([
  'handle', 'title', 'option1 name', 'option1 value', 'option2 name', 'option2 value', 'option3 name',
  'option3 value', 'sku', 'hs code', 'coo', 'barcode', 'variant barcode', 'bin name',
]);

/** The location columns of an older (column-per-location) inventory export. */
export function inventoryLocationColumns(cols: Columns): string[] {
  return cols.keys().filter((k) => !INVENTORY_NON_LOCATION.has(k));
}

function expectedList(kinds: readonly ImportKind[]): string {
  const parts: string[] = [];
  for (const kind of kinds) {
    for (const [layout, names] of Object.entries(REQUIRED_COLUMNS)) {
      if (layout === kind || layout.startsWith(`${kind}/`)) {
        parts.push(`${KIND_LABEL[kind]}${layout.includes('/') ? ` (${layout.split('/')[1]})` : ''}: ${names.join(', ')}`);
      }
    }
  }
  return parts.join('; ');
}

function refuseMissing(file: string, kind: ImportKind, absent: string[], layoutKey: string): never {
  throw new AppError(
    'BAD_INPUT',
    `${file}: looks like a Shopify ${KIND_LABEL[kind]} but lacks the column${absent.length > 1 ? 's' : ''} ` +
      `${absent.map((a) => `"${a}"`).join(', ')}. Expected at least: ${(REQUIRED_COLUMNS[layoutKey] ?? []).join(', ')}.`,
  );
}

/** What the header looks like, without judging whether required columns are there. */
function guessKind(cols: Columns): ImportKind | null {
  if (cols.has('lineitem quantity') || cols.has('lineitem name') || cols.has('lineitem sku')) return 'orders';
  if (cols.has('url handle') || cols.has('variant sku') || cols.has('variant price') || cols.has('body (html)') || cols.has('variant inventory qty')) {
    return 'products';
  }
  if (cols.has('handle') && (cols.has('sku') || cols.has('location'))) return 'inventory';
  if (cols.has('total spent') || cols.has('total orders') || cols.has('customer id') || cols.has('accepts email marketing')) {
    return 'customers';
  }
  return null;
}

/**
 * Detects the export kind and layout from the header. When `given` is set the header must agree.
 * @throws AppError('BAD_INPUT') naming the file when the header is unknown (listing the columns each
 *   export is expected to have), lacks a required column, or is another kind than `given`.
 */
export function detectLayout(file: string, cols: Columns, given?: ImportKind): Layout {
  const kind = guessKind(cols);
  if (kind === null && cols.header.length === 1 && /[;\t]/.test(cols.header[0] ?? '')) {
    const sep = (cols.header[0] ?? '').includes(';') ? 'semicolons' : 'tabs';
    throw new AppError(
      'BAD_INPUT',
      `${file}: its columns are separated by ${sep}, but Shopify's exports use commas (a spreadsheet re-saved it). ` +
        'Export it again from Shopify, or save it as "CSV UTF-8 (comma delimited)".',
    );
  }
  if (kind === null) {
    throw new AppError(
      'BAD_INPUT',
      `${file}: the header is not one of Shopify's CSV exports (it has ${cols.keys().length} column(s): ` +
        `${cols.header.slice(0, 8).map((h) => `"${h}"`).join(', ')}${cols.header.length > 8 ? ', …' : ''}). Expected the columns of ` +
        `${expectedList(given ? [given] : ['orders', 'products', 'inventory', 'customers'])}.`,
    );
  }
  if (given && given !== kind) {
    throw new AppError(
      'BAD_INPUT',
      `${file}: was given as a ${KIND_LABEL[given]} but its header is a ${KIND_LABEL[kind]}. Expected the columns of ${expectedList([given])}.`,
    );
  }
  switch (kind) {
    case 'orders': {
      const absent = missing(cols, REQUIRED_COLUMNS.orders ?? []);
      if (absent.length) refuseMissing(file, kind, absent, 'orders');
      const current = ORDERS_CURRENT_HEADER.every((n) => cols.has(normalizeColumnName(n)));
      return { kind, name: current ? 'orders/current' : 'orders/older' };
    }
    case 'products': {
      const layoutKey = cols.has('url handle') ? 'products/2024' : 'products/classic';
      const absent = missing(cols, REQUIRED_COLUMNS[layoutKey] ?? []);
      if (absent.length) refuseMissing(file, kind, absent, layoutKey);
      return { kind, name: layoutKey };
    }
    case 'inventory': {
      if (cols.has('location')) {
        const absent = missing(cols, ['Handle', 'Title', 'SKU', 'Location']);
        if (!cols.has('available') && !cols.has('on hand')) absent.push('Available');
        if (absent.length) refuseMissing(file, kind, absent, 'inventory/row-per-location');
        return { kind, name: 'inventory/row-per-location' };
      }
      const absent = missing(cols, ['Handle', 'Title', 'SKU']);
      if (inventoryLocationColumns(cols).length === 0) absent.push('<one column per location>');
      if (absent.length) refuseMissing(file, kind, absent, 'inventory/column-per-location');
      return { kind, name: 'inventory/column-per-location' };
    }
    case 'customers': {
      const absent = missing(cols, REQUIRED_COLUMNS.customers ?? []);
      if (absent.length) refuseMissing(file, kind, absent, 'customers');
      const current = cols.has('customer id') && cols.has('accepts email marketing');
      return { kind, name: current ? 'customers/current' : 'customers/older' };
    }
  }
}
