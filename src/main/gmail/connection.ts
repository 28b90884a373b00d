/**
 * The Gmail connection: connect (loopback OAuth, oauth.ts), the authorised API for sync and sending,
 * status, and disconnect. The refresh token lives only in the SecretStore (the OS keychain in the
 * desktop app; an encrypted file keyed from the OS keychain in CLI and web mode, see
 * src/main/shopify/secrets.ts), never in the database or the settings.
 *
 * `invalid_grant` from Google's token endpoint (the owner revoked access, changed the password, the
 * token expired unused for six months, or a Testing-mode client's 7-day limit) marks the connection
 * as needing a reconnect and is reported as such, not as a generic failure.
 */
import { AppError } from '../../shared/result';
import type { Db } from '../store/db';
import type { SecretStore } from '../shopify/secrets';
import { GmailApi, type GmailApiOptions } from './api';
import { classifyGmailError } from './backoff';
import { createGmailClient, type OAuth2Client } from './client';
import { GMAIL_SCOPES_DIRECT, GMAIL_SCOPES_DRAFT, GOOGLE_ENDPOINTS, oauthClient, runLoopbackFlow, type OAuthClientConfig, type OAuthEndpoints } from './oauth';
import { clearGmailState, readGmailState, writeGmailState } from './store';
import type { GmailSendMode } from './transport';

export const SECRET_REFRESH_TOKEN = 'gmail.refreshToken';
export const SECRET_CLIENT_SECRET = 'gmail.clientSecret';

/** An OAuth client compiled into the build (`BACKORDER_DESK_GMAIL_CLIENT_ID` / `_SECRET` at build or start time). */
export function builtInClient(env: NodeJS.ProcessEnv = process.env): OAuthClientConfig | null {
  const id = env.BACKORDER_DESK_GMAIL_CLIENT_ID?.trim();
  return id ? { clientId: id, ...(env.BACKORDER_DESK_GMAIL_CLIENT_SECRET ? { clientSecret: env.BACKORDER_DESK_GMAIL_CLIENT_SECRET.trim() } : {}) } : null;
}

/** What the connection needs from its surroundings. */
export interface GmailConnectionDeps {
  db: Db;
  secrets: SecretStore;
  /** The owner's Desktop OAuth client id from Settings ('' = use the built-in one). */
  clientId: () => string;
  sendMode: () => GmailSendMode;
  endpoints?: OAuthEndpoints;
  /** Gmail API root (tests: the fake server). */
  rootUrl?: string;
  api?: GmailApiOptions;
  env?: NodeJS.ProcessEnv;
  /**
   * Scopes asked for beyond Gmail's, read at connect time: `spreadsheets.readonly` once the owner
   * has linked a supplier's Google Sheet (src/main/eta/google-sheets.ts), and only then.
   */
  extraScopes?: () => readonly string[];
}

/** The scopes for a send mode (see oauth.ts for why draft mode asks for gmail.compose). */
export function scopesFor(mode: GmailSendMode): readonly string[] {
  return mode === 'draft' ? GMAIL_SCOPES_DRAFT : GMAIL_SCOPES_DIRECT;
}

async function clientConfig(deps: GmailConnectionDeps): Promise<OAuthClientConfig> {
  const own = deps.clientId().trim();
  if (own) {
    const secret = await deps.secrets.get(SECRET_CLIENT_SECRET);
    return { clientId: own, ...(secret ? { clientSecret: secret } : {}) };
  }
  const built = builtInClient(deps.env);
  if (built) return built;
  throw new AppError('BAD_INPUT', 'No Google OAuth client is set up: enter the client ID (and secret) of your Desktop OAuth client in Settings → Gmail (see the README).');
}

/**
 * Runs the browser sign-in and stores the refresh token; reads the connected address.
 * @throws AppError from the flow (declined, timeout) or the SecretStore (UNAVAILABLE when it cannot store safely).
 */
export async function connectGmail(
  deps: GmailConnectionDeps,
  input: { openBrowser: (url: string) => void | Promise<void>; clientSecret?: string; timeoutMs?: number },
): Promise<{ email: string }> {
  if (input.clientSecret) await deps.secrets.set(SECRET_CLIENT_SECRET, input.clientSecret);
  const config = await clientConfig(deps);
  const tokens = await runLoopbackFlow({
    ...config,
    scopes: [...scopesFor(deps.sendMode()), ...(deps.extraScopes?.() ?? [])],
    openBrowser: input.openBrowser,
    endpoints: deps.endpoints ?? GOOGLE_ENDPOINTS,
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
  });
  await deps.secrets.set(SECRET_REFRESH_TOKEN, tokens.refreshToken);
  const api = await authorizedApi(deps);
  const profile = await api.profile();
  const email = (profile.emailAddress ?? '').toLowerCase();
  const previous = readGmailState(deps.db);
  // Another mailbox: its history ids mean nothing here, start over with a full sync.
  if (previous.email && previous.email !== email) clearGmailState(deps.db);
  writeGmailState(deps.db, { email, needsReconnect: false, lastError: null });
  return { email };
}

/**
 * The Gmail API authorised by the stored refresh token.
 * @throws AppError('UNAUTHORIZED') when Gmail is not connected or needs a reconnect.
 */
export async function authorizedApi(deps: GmailConnectionDeps): Promise<GmailApi> {
  const auth = await authorizedClient(deps);
  return new GmailApi(createGmailClient({ auth, ...(deps.rootUrl ? { rootUrl: deps.rootUrl } : {}) }), deps.api ?? {});
}

/**
 * The OAuth client of the Google connection holding the stored refresh token (it fetches access
 * tokens itself); shared by Gmail and the Sheets reader.
 * @throws AppError('UNAUTHORIZED') when Google is not connected or needs a reconnect.
 */
export async function authorizedClient(deps: GmailConnectionDeps): Promise<OAuth2Client> {
  const refresh = await deps.secrets.get(SECRET_REFRESH_TOKEN);
  if (!refresh) throw new AppError('UNAUTHORIZED', 'Gmail is not connected. Connect it in Settings → Gmail.');
  if (readGmailState(deps.db).needsReconnect) throw reconnectError();
  const auth = oauthClient(await clientConfig(deps), deps.endpoints ?? GOOGLE_ENDPOINTS);
  auth.setCredentials({ refresh_token: refresh });
  return auth;
}

function reconnectError(): AppError {
  return new AppError('UNAUTHORIZED', 'Google no longer accepts the saved Gmail sign-in (access was revoked or expired). Reconnect Gmail in Settings → Gmail.');
}

/** True for Google's `invalid_grant` (refresh token revoked or expired). */
export function isInvalidGrant(err: unknown): boolean {
  const info = classifyGmailError(err);
  return info.reason === 'invalid_grant' || /invalid_grant/.test(info.message);
}

/**
 * Maps a failure of a Gmail operation to what the owner should read; `invalid_grant` also marks the
 * connection for reconnecting.
 */
export function explainGmailFailure(db: Db, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (isInvalidGrant(err)) {
    writeGmailState(db, { needsReconnect: true, lastError: 'invalid_grant' });
    return reconnectError();
  }
  const info = classifyGmailError(err);
  const message = `Gmail: ${info.status ?? 'network'} ${info.reason ?? ''} ${info.message}`.replace(/\s+/g, ' ').trim();
  writeGmailState(db, { lastError: message });
  return new AppError('UNAVAILABLE', message);
}

/**
 * Disconnect: revokes the token at Google (RFC 7009 via https://oauth2.googleapis.com/revoke), then
 * deletes the local copies (refresh token, client secret, sync state) whatever the revoke answered.
 * @returns whether Google confirmed the revocation, and a sentence for the owner.
 */
export async function disconnectGmail(deps: GmailConnectionDeps): Promise<{ revoked: boolean; message: string }> {
  const refresh = await deps.secrets.get(SECRET_REFRESH_TOKEN);
  let revoked = false;
  let problem = '';
  if (refresh) {
    try {
      const config = await clientConfig(deps).catch(() => ({ clientId: 'unknown' }));
      await oauthClient(config, deps.endpoints ?? GOOGLE_ENDPOINTS).revokeToken(refresh);
      revoked = true;
    } catch (err) {
      const info = classifyGmailError(err);
      // Already revoked or expired: nothing left to revoke.
      if (info.status === 400 && /invalid_token|invalid_grant/.test(`${info.reason ?? ''} ${info.message}`)) revoked = true;
      else problem = info.message;
    }
  }
  await deps.secrets.delete(SECRET_REFRESH_TOKEN);
  await deps.secrets.delete(SECRET_CLIENT_SECRET);
  clearGmailState(deps.db);
  const message = !refresh
    ? 'Gmail was not connected; nothing to revoke.'
    : revoked
      ? 'Gmail disconnected: Google revoked the access and the saved sign-in was deleted from this computer.'
      : `The saved sign-in was deleted from this computer, but Google could not be reached to revoke it (${problem}). Remove Backorder Desk at https://myaccount.google.com/permissions.`;
  return { revoked, message };
}
