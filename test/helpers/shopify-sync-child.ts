/**
 * Child process of the kill test: runs one sync of the shop routed to `origin` into the database
 * `dbFile`, printing each progress report as a JSON line. Usage:
 *   node --import tsx test/helpers/shopify-sync-child.ts DB_FILE ORIGIN SHOP
 */
import { ShopifyClient } from '../../src/main/shopify/client';
import { syncShop } from '../../src/main/shopify/sync';
import { setRequestTimeout, shopifyRoute } from '../../src/main/shopify/transport';
import { openDatabase } from '../../src/main/store/db';

const [dbFile, origin, shop] = process.argv.slice(2);
if (!dbFile || !origin || !shop) throw new Error('usage: shopify-sync-child.ts DB_FILE ORIGIN SHOP');
shopifyRoute(shop, origin);
setRequestTimeout(2000);
const db = openDatabase(dbFile);
const client = new ShopifyClient({ shop, credentials: { kind: 'token', accessToken: 'shpat_test_token' }, retry: { baseMs: 5, capMs: 40 } });
await syncShop(db, client, {
  now: () => '2026-04-01T12:00:00.000Z',
  pollMs: 20,
  onProgress: (p) => process.stdout.write(`${JSON.stringify(p)}\n`),
});
db.close();
process.stdout.write('{"phase":"exit"}\n');
