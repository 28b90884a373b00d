/**
 * The Gmail section of Settings: connect (the browser opens Google's consent page; the app listens on
 * 127.0.0.1 for the answer), the connected address and its health (reconnect needed, last sync, last
 * error), the poll interval and "Sync now" with its progress (a scheduled sync in flight shows the
 * same progress), sending customer email through Gmail with its daily cap, and Disconnect (revokes
 * the access at Google and deletes the saved sign-in).
 */
import { useId, useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/contract';
import { call } from '../client';
import type { GmailSyncProgress } from '../../../shared/contract';
import { useAction } from '../hooks/useAction';
import { useCommand } from '../hooks/useCommand';
import { useEvent } from '../hooks/useEvent';
import { ErrorNote, Hint } from './Notice';

export function GmailSettings(): React.JSX.Element {
  const status = useCommand('gmail.status', {}, ['status']);
  const settings = useCommand('settings.get', {}, ['status']);
  const [clientId, setClientId] = useState<string | null>(null);
  const [clientSecret, setClientSecret] = useState('');
  const { busy, note, problem, run } = useAction(() => {
    void status.reload();
    void settings.reload();
  });
  const idId = useId();
  const secretId = useId();
  const capId = useId();
  const pollId = useId();
  const [progress, setProgress] = useState<GmailSyncProgress | null>(null);
  useEvent('gmail.progress', (p) => {
    setProgress(p);
    if (p.phase === 'done' || p.phase === 'failed') void status.reload();
  });
  const syncing = busy === 'sync' || isSyncing(status.data, progress);
  const s = status.data;
  const gmail = settings.data?.gmail;

  const save = (patch: Partial<Settings['gmail']>): void => {
    if (!gmail) return;
    run('save', async () => {
      await call('settings.update', { gmail: { ...gmail, ...patch } });
      return 'Saved.';
    });
  };
  const connect = (e: FormEvent): void => {
    e.preventDefault();
    const id = (clientId ?? gmail?.clientId ?? '').trim();
    run('connect', async () => {
      const r = await call('gmail.connect', { clientId: id, ...(clientSecret ? { clientSecret } : {}) });
      setClientSecret('');
      return `Connected to ${r.email}.`;
    });
  };

  return (
    <section aria-labelledby="gmail-heading" className="gmail-settings">
      <h3 id="gmail-heading">Gmail</h3>
      <ErrorNote message={status.error ?? problem} />
      {s?.connected ? (
        <>
          <p role="status" data-state={s.needsReconnect ? 'reconnect' : 'connected'}>
            {s.needsReconnect ? `Google no longer accepts the sign-in for ${s.email ?? 'this mailbox'}: reconnect below.` : `Connected to ${s.email ?? '…'}.`}{' '}
            Last sync: {s.lastSyncAt ?? 'never'}.{s.lastError ? ` Last problem: ${s.lastError}` : ''}
          </p>
          <p className="muted">
            {syncing && progress ? `${progress.message} ` : ''}Synced every {s.pollMinutes ?? gmail?.pollMinutes ?? 5} minutes while the app runs. Sent through Gmail in the last 24 hours: {s.sentLastDay} of {s.dailySendCap}. Sign-in kept in: {s.secretStore}.
          </p>
          <div className="actions">
            <button type="button" disabled={busy !== null} onClick={() => run('sync', async () => {
              const r = await call('gmail.syncNow', {});
              return `Synced: ${r.stored} new (${r.supplier} supplier, ${r.quotes ?? 0} ETA quotes read, ${r.customerReplies} customer replies).`;
            })}>
              {syncing ? 'Syncing…' : 'Sync now'}
            </button>
            <button type="button" disabled={busy !== null} onClick={() => run('disconnect', async () => (await call('gmail.disconnect', {})).message)}>
              Disconnect
            </button>
          </div>
        </>
      ) : (
        <p role="status" data-state="disconnected">Not connected. Supplier mail and customer replies can still be added as .eml files (Import → Mail files).</p>
      )}
      {(!s?.connected || s.needsReconnect) && (
        <form onSubmit={connect}>
          <label htmlFor={idId}>OAuth client ID (Desktop app)</label>
          <input id={idId} value={clientId ?? gmail?.clientId ?? ''} onChange={(e) => setClientId(e.target.value)} placeholder="…apps.googleusercontent.com" />
          <label htmlFor={secretId}>Client secret</label>
          <input id={secretId} type="password" autoComplete="off" value={clientSecret} onChange={(e) => setClientSecret(e.target.value)} />
          <Hint>Create the client in Google Cloud Console (see the README, "Connect Gmail"). Leave empty to use the one built into this app, if any.</Hint>
          <button type="submit" disabled={busy !== null}>{busy === 'connect' ? 'Waiting for the browser…' : s?.needsReconnect ? 'Reconnect Gmail' : 'Connect Gmail'}</button>
        </form>
      )}
      {gmail && (
        <div>
          <label>
            <input type="checkbox" checked={gmail.sendEmail} onChange={(e) => save({ sendEmail: e.target.checked })} /> Send customer email through Gmail
            (instead of SMTP)
          </label>
          <label htmlFor={capId}>Daily send cap</label>
          <input
            id={capId}
            type="number"
            min={1}
            max={2000}
            defaultValue={gmail.dailySendCap}
            onBlur={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1 && n <= 2000 && n !== gmail.dailySendCap) save({ dailySendCap: n });
            }}
          />
          <Hint>Gmail allows about 500 messages a day for personal accounts and 2,000 for Google Workspace.</Hint>
          <label htmlFor={pollId}>Check for new mail every (minutes)</label>
          <input
            id={pollId}
            type="number"
            min={1}
            max={1440}
            defaultValue={gmail.pollMinutes}
            onBlur={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 1 && n <= 1440 && n !== gmail.pollMinutes) save({ pollMinutes: n });
            }}
          />
        </div>
      )}
      {note && <p role="status">{note}</p>}
    </section>
  );
}

/** A sync is running: the status says so, or progress arrived that has not ended yet. */
function isSyncing(status: { syncing?: boolean } | undefined, p: GmailSyncProgress | null): boolean {
  return status?.syncing === true || (p !== null && (p.phase === 'starting' || p.phase === 'fetching'));
}
