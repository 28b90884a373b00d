/**
 * Loads the bundled demo store (resources/demo: Shopify orders, products, inventory and customers
 * exports) into a core. Order dates are moved forward by whole days so the newest order is three
 * days old whenever the demo runs: the waiting times and due steps then look like a real Monday.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { ImportKind } from '../../shared/domain';
import type { CoreApi } from '../app/core-api';
import { call } from '../cli/io';

const STAMP = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4})/g;

/**
 * Shifts every Shopify timestamp ("2026-11-27 14:03:51 -0500") in `csv` by `days` whole days,
 * keeping the time of day and the offset.
 */
export function shiftShopifyDates(csv: string, days: number): string {
  if (days === 0) return csv;
  return csv.replace(STAMP, (_m, d: string, t: string, off: string) => {
    const shifted = DateTime.fromISO(d, { zone: 'utc' }).plus({ days }).toISODate();
    return `${shifted} ${t} ${off}`;
  });
}

/** Whole days to add so that the newest timestamp in `csv` falls `ageDays` before `today` (YYYY-MM-DD). */
export function daysToRebase(csv: string, today: string, ageDays = 3): number {
  let newest: string | null = null;
  for (const m of csv.matchAll(STAMP)) if (!newest || m[1]! > newest) newest = m[1]!;
  if (!newest) return 0;
  const target = DateTime.fromISO(today, { zone: 'utc' }).minus({ days: ageDays });
  return Math.round(target.diff(DateTime.fromISO(newest, { zone: 'utc' }), 'days').days);
}

const FILES: Record<string, ImportKind> = {
  'products_export.csv': 'products',
  'inventory_export.csv': 'inventory',
  'customers_export.csv': 'customers',
  'orders_export.csv': 'orders',
};

/** Imports the demo exports, configures the demo mail catcher, and runs the first scheduler tick. */
export async function loadDemoStore(core: CoreApi, dir: string, smtpPort: number): Promise<{ storeName: string; backorders: number; drafts: number }> {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'store.json'), 'utf8')) as { storeName: string; timezone: string; fromAddress: string; statusUrlTemplate?: string; faqUrl?: string };
  await call(
    core.dispatch('settings.update', {
      storeName: meta.storeName,
      timezone: meta.timezone,
      fromAddress: meta.fromAddress,
      smtp: { host: '127.0.0.1', port: smtpPort, security: 'none', user: '' },
      statusUrlTemplate: meta.statusUrlTemplate ?? '',
      faqUrl: meta.faqUrl ?? '',
      allowedOffers: ['expedited shipping'],
    }),
  );
  const today = DateTime.now().setZone(meta.timezone).toISODate()!;
  const orders = fs.readFileSync(path.join(dir, 'orders_export.csv'), 'utf8');
  const shift = daysToRebase(orders, today);
  const files = Object.entries(FILES).map(([name, kind]) => {
    const content = fs.readFileSync(path.join(dir, name), 'utf8');
    return { name, kind, content: kind === 'orders' || kind === 'customers' ? shiftShopifyDates(content, shift) : content };
  });
  const report = await call(core.dispatch('import.files', { files }));
  const tick = await call(core.dispatch('scheduler.tick', {}));
  return { storeName: meta.storeName, backorders: report.backordersOpened, drafts: tick.drafted };
}
