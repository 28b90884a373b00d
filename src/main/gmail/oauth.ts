/**
 * OAuth 2.0 for installed apps (RFC 8252; Google "OAuth 2.0 for iOS & Desktop Apps"): the system
 * browser opens Google's consent page, Google redirects to a loopback listener on 127.0.0.1 with a
 * random port (RFC 8252 §7.3: Google accepts any port for Desktop clients), and the code is
 * exchanged with the PKCE verifier (RFC 7636, S256).
 *
 * Guarantees: the listener binds 127.0.0.1 only (never 0.0.0.0; RFC 8252 §8.3), answers only the
 * callback path, refuses a redirect whose `state` is not ours (CSRF, RFC 6749 §10.12) and keeps
 * waiting for the real one, accepts exactly one redirect and then closes, and gives up after
 * `timeoutMs`. The code exchange goes through google-auth-library's OAuth2Client (bundled with
 * googleapis), whose endpoints tests point at a fake token server.
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../shared/result';
import { googleAuth, type OAuth2Client } from './client';

/** Scopes for sending with users.messages.send (mode `direct`). */
export const GMAIL_SCOPES_DIRECT = ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.send'] as const;
/**
 * Scopes for mode `draft`: drafts.create/send need gmail.compose (gmail.send does not cover drafts),
 * bought for the stronger crash recovery described in transport.ts.
 */
export const GMAIL_SCOPES_DRAFT = ['https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.compose'] as const;

/** Google's endpoints; tests replace them with a fake's. */
export interface OAuthEndpoints {
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
}

export const GOOGLE_ENDPOINTS: OAuthEndpoints = {
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
  revokeUrl: 'https://oauth2.googleapis.com/revoke',
};

/** The owner's (or the build's) OAuth client of type "Desktop app". */
export interface OAuthClientConfig {
  clientId: string;
  /** Desktop clients have a secret Google requires at the token endpoint; it is not confidential (RFC 8252 §8.5). */
  clientSecret?: string;
}

/** An OAuth2Client for `config` at `endpoints`. */
export function oauthClient(config: OAuthClientConfig, endpoints: OAuthEndpoints = GOOGLE_ENDPOINTS, redirectUri?: string): OAuth2Client {
  return new googleAuth.OAuth2({
    clientId: config.clientId,
    ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}),
    ...(redirectUri ? { redirectUri } : {}),
    endpoints: { oauth2AuthBaseUrl: endpoints.authUrl, oauth2TokenUrl: endpoints.tokenUrl, oauth2RevokeUrl: endpoints.revokeUrl },
  });
}

type ChallengeMethod = NonNullable<NonNullable<Parameters<OAuth2Client['generateAuthUrl']>[0]>['code_challenge_method']>;

const b64url = (b: Buffer): string => b.toString('base64url');

/** RFC 7636 §4.1–4.2: a 43-character verifier from 32 random bytes and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

/** Options of {@link runLoopbackFlow}. */
export interface LoopbackFlowOptions extends OAuthClientConfig {
  scopes: readonly string[];
  /** Opens the URL in the system browser (Electron `shell.openExternal`, or printed by the CLI). */
  openBrowser: (url: string) => void | Promise<void>;
  endpoints?: OAuthEndpoints;
  /** How long to wait for the browser. Default 5 minutes. */
  timeoutMs?: number;
  /** Account hint for Google's chooser. */
  loginHint?: string;
}

/** Tokens from the code exchange. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds, or null. */
  expiresAt: number | null;
  /** Scopes Google granted (space separated), which may be fewer than asked for. */
  scope: string;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/**
 * Runs the whole flow (see module doc) and returns the tokens.
 * @throws AppError('UNAUTHORIZED') when the owner declines, Google returns no refresh token, or not
 *   every scope was granted; AppError('UNAVAILABLE') on timeout or when the exchange fails.
 */
export async function runLoopbackFlow(opts: LoopbackFlowOptions): Promise<TokenSet> {
  const endpoints = opts.endpoints ?? GOOGLE_ENDPOINTS;
  const state = b64url(randomBytes(24));
  const { verifier, challenge } = pkcePair();
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}/oauth2callback`;
  const client = oauthClient(opts, endpoints, redirectUri);

  let timer: NodeJS.Timeout | undefined;
  const code = await new Promise<string>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | null, value?: string): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      server.close();
      server.closeIdleConnections();
      if (err) reject(err);
      else resolve(value!);
    };
    timer = setTimeout(
      () => finish(new AppError('UNAVAILABLE', 'Connecting Gmail timed out: the browser did not come back. Try again.')),
      opts.timeoutMs ?? 300_000,
    );
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', redirectUri);
      const reply = (status: number, title: string, text: string): void => {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
        res.end(PAGE(title, text));
      };
      if (done || url.pathname !== '/oauth2callback') return reply(404, 'Not found', 'Nothing here.');
      if (url.searchParams.get('state') !== state) {
        // Not our redirect (a stale tab, or a forged request): refuse it and keep waiting for ours.
        return reply(400, 'Sign-in refused', 'This sign-in answer does not belong to the request Backorder Desk made. Close this tab.');
      }
      const error = url.searchParams.get('error');
      const got = url.searchParams.get('code');
      if (error || !got) {
        reply(400, 'Gmail not connected', `Google answered: ${error ?? 'no code'}. You can close this tab.`);
        return finish(new AppError('UNAUTHORIZED', error === 'access_denied' ? 'Gmail access was declined in the browser.' : `Google refused the sign-in (${error ?? 'no code'}).`));
      }
      reply(200, 'Gmail connected', 'Backorder Desk can now read supplier mail and customer replies and send your approved messages. You can close this tab.');
      finish(null, got);
    });
    const url = client.generateAuthUrl({
      access_type: 'offline',
      // consent: Google gives a refresh token again even when this client was granted before.
      prompt: 'consent',
      scope: [...opts.scopes],
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256' as ChallengeMethod,
      ...(opts.loginHint ? { login_hint: opts.loginHint } : {}),
    });
    Promise.resolve(opts.openBrowser(url)).catch((err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
  });

  let tokens;
  try {
    tokens = (await client.getToken({ code, codeVerifier: verifier, redirect_uri: redirectUri })).tokens;
  } catch (err) {
    throw new AppError('UNAVAILABLE', `Exchanging Google's answer for a token failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!tokens.refresh_token || !tokens.access_token) {
    throw new AppError('UNAUTHORIZED', 'Google did not return a refresh token. Remove Backorder Desk at myaccount.google.com/permissions and connect again.');
  }
  const granted = (tokens.scope ?? opts.scopes.join(' ')).split(/\s+/);
  const missing = opts.scopes.filter((s) => !granted.includes(s));
  if (missing.length) {
    throw new AppError('UNAUTHORIZED', `Not every permission was granted (missing ${missing.join(', ')}). Connect again and tick every box.`);
  }
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: tokens.expiry_date ?? null, scope: granted.join(' ') };
}
