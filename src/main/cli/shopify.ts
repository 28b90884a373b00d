/**
 * `shopify connect|sync|status|disconnect` — the live Shopify connection from the command line.
 * Secrets never go on the command line (other users can read argv): the client secret or access
 * token comes from BACKORDER_DESK_SHOPIFY_CLIENT_SECRET / BACKORDER_DESK_SHOPIFY_TOKEN, or the first
 * line of stdin. They are kept in the encrypted secret store next to the database
 * (src/main/shopify/secrets.ts), which needs an OS-protected key.
 */
import { Command, Option } from 'commander';
import { AppError } from '../../shared/result';
import type { ShopifyStatus } from '../../shared/shopify';
import { createCore, type Core } from '../app/core';
import { defaultDbPath } from '../paths';
import { call, output } from './io';

async function withCore<T>(db: string | undefined, fn: (core: Core) => Promise<T>): Promise<T> {
  const core = createCore({ dbPath: db ?? defaultDbPath() });
  try {
    return await fn(core);
  } finally {
    core.close();
  }
}

async function secretFrom(envName: string, what: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write(`${what}: `);
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (!line) throw new AppError('BAD_INPUT', `No ${what}: set ${envName} or give it on stdin.`);
  return line;
}

function describe(s: ShopifyStatus): string {
  if (!s.connected) return 'Not connected to Shopify.';
  const w = Object.entries(s.writeBack).filter(([, on]) => on).map(([k]) => k);
  return [
    `Connected to ${s.shop} (${s.authKind === 'token' ? 'access token' : 'Dev Dashboard app, client credentials'}), sync every ${s.pollMinutes} min.`,
    `Last successful sync: ${s.lastSuccessAt ?? 'never'}${s.lastError ? `\nLast error (${s.lastErrorAt}): ${s.lastError}` : ''}`,
    `Write-back: ${w.length ? w.join(', ') : 'off'}. Cancel and refund in Shopify: ${s.orderActions.cancel ? `on (customer notified by Shopify: ${s.orderActions.notifyCustomer ? 'yes' : 'no'})` : 'off'}.`,
    `Scopes needed: ${s.scopes.join(', ')}.`,
    `Credentials: ${s.secretStorage}.`,
  ].join('\n');
}

/** Adds the `shopify` command group to `program`. */
export function shopifyCommand(program: Command): void {
  const db = (): Option => new Option('--db <path>', 'SQLite database file (default: the app data folder)');
  const json = (): Option => new Option('--json', 'print JSON only on stdout');
  const shopify = program.command('shopify').description('live Shopify sync through the Admin API');

  shopify
    .command('connect')
    .description('connect a store: a Dev Dashboard app (--client-id; secret from BACKORDER_DESK_SHOPIFY_CLIENT_SECRET or stdin) or an Admin API token (--token; from BACKORDER_DESK_SHOPIFY_TOKEN or stdin)')
    .requiredOption('--shop <domain>', 'your-store.myshopify.com')
    .option('--client-id <id>', "the Dev Dashboard app's client ID")
    .option('--token', 'use an Admin API access token (shpat_…) of an existing custom app instead')
    .option('--poll-minutes <n>', 'sync interval in minutes (default 5)', (v) => Number(v))
    .option('--tag', 'tag backordered orders "backordered" (needs write_orders)')
    .option('--hold', 'put backordered fulfillment orders on an INVENTORY_OUT_OF_STOCK hold (needs write_merchant_managed_fulfillment_orders)')
    .option('--eta-metafield', 'write the ETA range to an order metafield (needs write_orders)')
    .option('--cancel-orders', '"cancel and refund in full" cancels the order in Shopify (orderCancel; needs write_orders)')
    .option('--no-notify-customer', 'with --cancel-orders: Shopify sends no cancellation email')
    .addOption(db())
    .addOption(json())
    .action(async (o: { shop: string; clientId?: string; token?: boolean; pollMinutes?: number; tag?: boolean; hold?: boolean; etaMetafield?: boolean; cancelOrders?: boolean; notifyCustomer?: boolean; db?: string; json?: boolean }) => {
      if (!o.token && !o.clientId) throw new AppError('BAD_INPUT', 'Give --client-id (Dev Dashboard app) or --token (existing custom app).');
      const auth = o.token
        ? { kind: 'token' as const, accessToken: await secretFrom('BACKORDER_DESK_SHOPIFY_TOKEN', 'Admin API access token') }
        : { kind: 'client_credentials' as const, clientId: o.clientId!, clientSecret: await secretFrom('BACKORDER_DESK_SHOPIFY_CLIENT_SECRET', 'client secret') };
      const s = await withCore(o.db, (core) =>
        call(core.dispatch('shopify.connect', {
          shop: o.shop,
          auth,
          ...(o.pollMinutes ? { pollMinutes: o.pollMinutes } : {}),
          writeBack: { tags: o.tag === true, holds: o.hold === true, etaMetafield: o.etaMetafield === true },
          orderActions: { cancel: o.cancelOrders === true, notifyCustomer: o.notifyCustomer !== false },
        })),
      );
      output(o.json === true, s, () => describe(s));
    });

  shopify
    .command('sync')
    .description('sync now (the first sync uses bulk operations and may take minutes); progress on stderr')
    .addOption(db())
    .addOption(json())
    .action(async (o: { db?: string; json?: boolean }) => {
      const r = await withCore(o.db, (core) => {
        core.on('sync.progress', (p) => process.stderr.write(`${p.message}${p.total ? ` (${p.done} of ${p.total})` : p.done ? ` (${p.done})` : ''}\n`));
        return call(core.dispatch('shopify.syncNow', {}));
      });
      const gone = r.deleted && (r.deleted.orders || r.deleted.variants)
        ? `; deleted in Shopify: ${r.deleted.orders} order(s), ${r.deleted.variants} variant(s), ${r.deleted.backordersClosed} backorder(s) closed`
        : '';
      output(o.json === true, r, () => `${r.mode} sync: ${r.written} records stored, ${r.unchanged} unchanged${gone}`);
    });

  shopify
    .command('status')
    .addOption(db())
    .addOption(json())
    .action(async (o: { db?: string; json?: boolean }) => {
      const s = await withCore(o.db, (core) => call(core.dispatch('shopify.status', {})));
      output(o.json === true, s, () => describe(s));
    });

  shopify
    .command('disconnect')
    .description('delete the stored credentials (synced orders stay)')
    .addOption(db())
    .addOption(json())
    .action(async (o: { db?: string; json?: boolean }) => {
      const s = await withCore(o.db, (core) => call(core.dispatch('shopify.disconnect', {})));
      output(o.json === true, s, () => 'Disconnected; the Shopify credentials were deleted.');
    });
}
