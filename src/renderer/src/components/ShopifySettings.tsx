/**
 * The Shopify section of Settings: connect a store (a Dev Dashboard app's client ID and secret by
 * default, or an existing custom app's Admin API access token), with the setup steps and the exact
 * scopes; then the connection's health (last successful sync, last error), "Sync now" with progress,
 * the poll interval, the write-back options, and Disconnect (deletes the stored credentials).
 */
import { useId, useState, type FormEvent } from 'react';
import type { SyncProgress } from '../../../shared/contract';
import { call } from '../client';
import { useAction } from '../hooks/useAction';
import { useCommand } from '../hooks/useCommand';
import { useEvent } from '../hooks/useEvent';
import { ErrorNote } from './Notice';

const READ_SCOPES = 'read_orders, read_products, read_inventory, read_customers, read_fulfillments, read_merchant_managed_fulfillment_orders';

function progressText(p: SyncProgress): string {
  return `${p.message}${p.total ? ` — ${p.done} of ${p.total}` : p.done ? ` — ${p.done}` : ''}`;
}

export function ShopifySettings(): React.JSX.Element {
  const status = useCommand('shopify.status', {}, ['status']);
  const [mode, setMode] = useState<'client_credentials' | 'token'>('client_credentials');
  const [shop, setShop] = useState('');
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const { busy, note, problem, run } = useAction(() => void status.reload());
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const ids = { shop: useId(), id: useId(), secret: useId(), poll: useId() };
  const s = status.data;

  useEvent('sync.progress', (p) => {
    setProgress(p);
    if (p.phase === 'done' || p.phase === 'failed') void status.reload();
  });

  const connect = (e: FormEvent): void => {
    e.preventDefault();
    run('connect', async () => {
      const auth = mode === 'token' ? { kind: 'token' as const, accessToken: secret } : { kind: 'client_credentials' as const, clientId, clientSecret: secret };
      const r = await call('shopify.connect', { shop, auth });
      setSecret('');
      return `Connected to ${r.shop ?? shop}. The first sync has started; it can take a few minutes for a large store.`;
    });
  };
  const setWriteBack = (key: 'tags' | 'holds' | 'etaMetafield', on: boolean): void =>
    run('save', async () => {
      await call('shopify.configure', { writeBack: { [key]: on } });
      return on ? 'Turned on. Make sure the app has the scopes listed below.' : 'Turned off.';
    });

  const setOrderAction = (key: 'cancel' | 'notifyCustomer', on: boolean): void =>
    run('save', async () => {
      await call('shopify.configure', { orderActions: { [key]: on } });
      return key === 'cancel' && on ? 'Turned on. Make sure the app has the scopes listed below.' : 'Saved.';
    });

  return (
    <section aria-labelledby="shopify-heading" className="shopify-settings">
      <h3 id="shopify-heading">Shopify</h3>
      <ErrorNote message={status.error ?? problem} />
      {note && <p role="status">{note}</p>}
      {s?.connected ? (
        <>
          <p role="status" data-state={s.lastError ? 'error' : 'connected'}>
            Connected to {s.shop} ({s.authKind === 'token' ? 'access token' : 'Dev Dashboard app'}). Last successful sync: {s.lastSuccessAt ?? 'not yet'}.
            {s.lastError ? ` Last problem (${s.lastErrorAt ?? ''}): ${s.lastError}` : ''}
          </p>
          {(s.running || busy === 'sync') && progress && <p className="muted" aria-live="polite">{progressText(progress)}</p>}
          <div className="actions">
            <button type="button" disabled={busy !== null || s.running} onClick={() => run('sync', async () => {
              const r = await call('shopify.syncNow', {});
              const gone = r.deleted && (r.deleted.orders || r.deleted.variants) ? ` ${r.deleted.backordersClosed} backorder(s) closed: their order or item was deleted in Shopify.` : '';
              return `Synced: ${r.written} records stored, ${r.unchanged} unchanged.${gone}`;
            })}>
              {busy === 'sync' || s.running ? 'Syncing…' : 'Sync now'}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => run('disconnect', async () => {
              await call('shopify.disconnect', {});
              return 'Disconnected. The credentials were deleted; the synced orders stay.';
            })}>
              Disconnect
            </button>
          </div>
          <label htmlFor={ids.poll}>Sync every (minutes)</label>
          <input id={ids.poll} type="number" min={1} max={1440} defaultValue={s.pollMinutes}
            onBlur={(e) => {
              const n = Number(e.currentTarget.value);
              if (Number.isInteger(n) && n >= 1 && n !== s.pollMinutes) run('save', async () => (await call('shopify.configure', { pollMinutes: n }), 'Saved.'));
            }} />
          <fieldset>
            <legend>Write status back to Shopify (each optional)</legend>
            <label><input type="checkbox" checked={s.writeBack.tags} disabled={busy !== null} onChange={(e) => setWriteBack('tags', e.currentTarget.checked)} /> Tag backordered orders “backordered” (removed when they ship) — needs write_orders</label>
            <label><input type="checkbox" checked={s.writeBack.holds} disabled={busy !== null} onChange={(e) => setWriteBack('holds', e.currentTarget.checked)} /> Hold backordered fulfillment orders (“Inventory out of stock”), released when stock is allocated; your own holds are never touched — needs write_merchant_managed_fulfillment_orders</label>
            <label><input type="checkbox" checked={s.writeBack.etaMetafield} disabled={busy !== null} onChange={(e) => setWriteBack('etaMetafield', e.currentTarget.checked)} /> Order metafield backorder_desk.eta_range with the current ETA range — needs write_orders</label>
          </fieldset>
          <fieldset>
            <legend>Task actions in Shopify</legend>
            <label><input type="checkbox" checked={s.orderActions.cancel} disabled={busy !== null} onChange={(e) => setOrderAction('cancel', e.currentTarget.checked)} /> “Cancel and refund in full” cancels the order in Shopify (full refund to the original payment method, items restocked) instead of leaving it to you — needs write_orders</label>
            <label><input type="checkbox" checked={s.orderActions.notifyCustomer} disabled={busy !== null || !s.orderActions.cancel} onChange={(e) => setOrderAction('notifyCustomer', e.currentTarget.checked)} /> Shopify emails the customer its cancellation notice</label>
          </fieldset>
          <p className="muted">Scopes needed now: {s.scopes.join(', ')}. Credentials kept in: {s.secretStorage}.</p>
        </>
      ) : (
        <form onSubmit={connect}>
          <fieldset>
            <legend>How to connect</legend>
            <label><input type="radio" name="shopify-mode" checked={mode === 'client_credentials'} onChange={() => setMode('client_credentials')} /> My own app in the Dev Dashboard (recommended)</label>
            <label><input type="radio" name="shopify-mode" checked={mode === 'token'} onChange={() => setMode('token')} /> An Admin API access token of an existing custom app</label>
          </fieldset>
          {mode === 'client_credentials' ? (
            <ol className="steps">
              <li>Open the Shopify Dev Dashboard (dev.shopify.com) with the account that owns the store, and choose <b>Create app</b> → <b>Start from Dev Dashboard</b>. Name it “Backorder Desk”.</li>
              <li>In the app's <b>Versions</b>, set the access scopes: <code>{READ_SCOPES}</code>. For the write-back options add <code>write_orders</code> and <code>write_merchant_managed_fulfillment_orders</code>. Release the version.</li>
              <li>Choose <b>Install app</b> and install it on your store.</li>
              <li>In the app's <b>Settings</b>, copy the <b>Client ID</b> and <b>Secret</b> into the fields below. Backorder Desk exchanges them for an access token (valid about 24 hours) and renews it on its own.</li>
            </ol>
          ) : (
            <p className="muted">
              Since January 1, 2026 new custom apps cannot be created in the Shopify admin; a custom app you already have keeps working. Its Admin API access token starts with shpat_ and needs the scopes: <code>{READ_SCOPES}</code>.
            </p>
          )}
          <label htmlFor={ids.shop}>Store domain</label>
          <input id={ids.shop} value={shop} placeholder="your-store.myshopify.com" autoComplete="off" onChange={(e) => setShop(e.currentTarget.value)} required />
          {mode === 'client_credentials' && (
            <>
              <label htmlFor={ids.id}>Client ID</label>
              <input id={ids.id} value={clientId} autoComplete="off" onChange={(e) => setClientId(e.currentTarget.value)} required />
            </>
          )}
          <label htmlFor={ids.secret}>{mode === 'token' ? 'Admin API access token' : 'Client secret'}</label>
          <input id={ids.secret} type="password" value={secret} autoComplete="off" onChange={(e) => setSecret(e.currentTarget.value)} required />
          <p className="muted">The secret is kept in your computer's keychain, never in the database.</p>
          <button type="submit" disabled={busy !== null}>{busy === 'connect' ? 'Checking…' : 'Connect'}</button>
        </form>
      )}
    </section>
  );
}
