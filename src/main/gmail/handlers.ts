/**
 * The Gmail contract commands (gmail.connect, gmail.disconnect, gmail.status, gmail.syncNow) and the
 * Gmail email transport for the outbox, built for one core. Customer replies the sync finds go to
 * reply triage's sink (src/main/replies/ingest.ts createReplySink), the same one dropped .eml files use.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { GmailStatus, GmailSyncSummary, Settings } from '../../shared/contract';
import { AppError } from '../../shared/result';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { loadSettings, saveSettings } from '../store/settings';
import { EncryptedFileSecretStore, type SecretStore } from '../shopify/secrets';
import { createReplySink, type ReplyTriageOptions } from '../replies/ingest';
import type { GmailApiOptions } from './api';
import { authorizedApi, connectGmail, disconnectGmail, explainGmailFailure, SECRET_REFRESH_TOKEN, type GmailConnectionDeps } from './connection';
import type { OAuthEndpoints } from './oauth';
import { readGmailState } from './store';
import { syncGmail } from './sync';
import { createGmailTransport, sentInLastDay, type GmailTransport } from './transport';

/** Core options for Gmail; everything optional. */
export interface GmailCoreOptions {
  /** Where the refresh token goes; default an EncryptedFileSecretStore next to the database. */
  secrets?: SecretStore;
  /** Opens the consent page; default the platform's opener (xdg-open, open, start). */
  openBrowser?: (url: string) => void | Promise<void>;
  endpoints?: OAuthEndpoints;
  rootUrl?: string;
  api?: GmailApiOptions;
}

/** Opens `url` in the system browser, and prints it in case no browser opens. */
export function openSystemBrowser(url: string): void {
  process.stderr.write(`Open this address to connect Gmail: ${url}\n`);
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    spawn(cmd, args, { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
  } catch {
    // The address is printed above.
  }
}

/** The commands and the transport factory (see module doc). */
export function gmailHandlers(ctx: { db: Db; dbPath: string; flow: SequenceFlow; now: () => string; changed: (...v: ('backorders' | 'drafts' | 'tasks' | 'status')[]) => void; options?: GmailCoreOptions; triage?: ReplyTriageOptions }) {
  const { db, now } = ctx;
  const o = ctx.options ?? {};
  const secrets = o.secrets ?? new EncryptedFileSecretStore(path.join(path.dirname(path.resolve(ctx.dbPath)), 'gmail-secrets.json'));
  const deps: GmailConnectionDeps = {
    db,
    secrets,
    clientId: () => loadSettings(db).gmail.clientId,
    sendMode: () => loadSettings(db).gmail.sendMode,
    ...(o.endpoints ? { endpoints: o.endpoints } : {}),
    ...(o.rootUrl ? { rootUrl: o.rootUrl } : {}),
    ...(o.api ? { api: o.api } : {}),
  };
  const connected = async (): Promise<boolean> => (await secrets.get(SECRET_REFRESH_TOKEN).catch(() => null)) !== null;

  async function sync(full: boolean): Promise<GmailSyncSummary> {
    const settings = loadSettings(db);
    try {
      const api = await authorizedApi(deps);
      await createGmailTransport({ db, api, now, dailyCap: settings.gmail.dailySendCap, mode: settings.gmail.sendMode }).recover();
      const sink = createReplySink(db, ctx.flow, () => loadSettings(db), now, ctx.triage ?? {});
      const r = await syncGmail({ db, api, now, days: settings.gmail.syncDays, sink, full });
      ctx.changed('tasks', 'drafts', 'status', 'backorders');
      return { mode: r.mode, fetched: r.fetched, stored: r.stored, supplier: r.supplier, customerReplies: r.customerReplies, ignored: r.ignored, units: r.units };
    } catch (err) {
      throw explainGmailFailure(db, err);
    }
  }

  const handlers = {
    'gmail.connect': async (input: { clientId?: string; clientSecret?: string }): Promise<{ email: string }> => {
      if (input.clientId !== undefined) saveSettings(db, { gmail: { ...loadSettings(db).gmail, clientId: input.clientId.trim() } });
      const r = await connectGmail(deps, { openBrowser: o.openBrowser ?? openSystemBrowser, ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}) });
      ctx.changed('status');
      return r;
    },
    'gmail.disconnect': async (): Promise<{ revoked: boolean; message: string }> => {
      const r = await disconnectGmail(deps);
      ctx.changed('status');
      return r;
    },
    'gmail.status': async (): Promise<GmailStatus> => {
      const s = readGmailState(db);
      const settings = loadSettings(db);
      return {
        connected: await connected(),
        email: s.email,
        needsReconnect: s.needsReconnect,
        lastSyncAt: s.lastSyncAt,
        lastError: s.lastError,
        sentLastDay: sentInLastDay(db, now()),
        dailySendCap: settings.gmail.dailySendCap,
        secretStore: secrets.describe(),
      };
    },
    'gmail.syncNow': (input: { full?: boolean }): Promise<GmailSyncSummary> => sync(input.full === true),
  };

  /**
   * The Gmail transport when the owner chose to send through Gmail and it is connected, after
   * settling `unknown` messages from an interrupted run; null when email goes by SMTP.
   * @throws AppError('UNAVAILABLE') when the daily cap is already reached (nothing is claimed then).
   */
  async function emailTransport(settings: Settings): Promise<GmailTransport | null> {
    if (!settings.gmail.sendEmail) return null;
    let transport: GmailTransport;
    try {
      const api = await authorizedApi(deps);
      transport = createGmailTransport({ db, api, now, dailyCap: settings.gmail.dailySendCap, mode: settings.gmail.sendMode });
      await transport.recover();
    } catch (err) {
      throw explainGmailFailure(db, err);
    }
    const used = sentInLastDay(db, now());
    if (used >= settings.gmail.dailySendCap) {
      throw new AppError('UNAVAILABLE', `Daily Gmail send cap reached (${used} of ${settings.gmail.dailySendCap} in the last 24 hours). Nothing was sent; the messages stay approved.`);
    }
    return transport;
  }

  return { handlers, emailTransport };
}
