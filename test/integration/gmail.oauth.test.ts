import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import os from 'node:os';
import net from 'node:net';
import { createHash } from 'node:crypto';
import type { Db } from '../../src/main/store/db';
import { runLoopbackFlow, GMAIL_SCOPES_DIRECT } from '../../src/main/gmail/oauth';
import { authorizedApi, connectGmail, disconnectGmail, explainGmailFailure, SECRET_REFRESH_TOKEN, type GmailConnectionDeps } from '../../src/main/gmail/connection';
import { readGmailState } from '../../src/main/gmail/store';
import type { SecretStore } from '../../src/main/shopify/secrets';
import { FakeGoogleOAuth } from '../helpers/fake-google-oauth';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { tmpDb } from '../helpers/gmail-db';

let oauth: FakeGoogleOAuth;
beforeEach(async () => {
  oauth = await new FakeGoogleOAuth().start();
});
afterEach(async () => {
  await oauth.close();
});

/** The "browser": follows the consent redirect to the loopback listener. */
async function browse(url: string): Promise<{ redirect: URL }> {
  const r = await fetch(url, { redirect: 'manual' });
  return { redirect: new URL(r.headers.get('location')!) };
}

function memorySecrets(): SecretStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (n) => data.get(n) ?? null,
    set: async (n, v) => void data.set(n, v),
    delete: async (n) => void data.delete(n),
    describe: () => 'memory',
  };
}

function refused(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('OAuth loopback flow (RFC 8252 §7.3, PKCE S256) against a fake Google token endpoint', () => {
  it('binds 127.0.0.1 on a random port, refuses a wrong state, accepts one redirect, exchanges the code with the verifier', async () => {
    const seen: { redirectUri?: string; wrongState?: number; after?: boolean; otherIface?: boolean | null } = {};
    const tokens = await runLoopbackFlow({
      clientId: 'desktop-client',
      clientSecret: 'not-so-secret',
      scopes: GMAIL_SCOPES_DIRECT,
      endpoints: oauth.endpoints,
      timeoutMs: 10_000,
      openBrowser: async (url) => {
        const { redirect } = await browse(url);
        seen.redirectUri = `${redirect.origin}${redirect.pathname}`;
        const port = Number(redirect.port);
        const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
        seen.otherIface = external ? await refused(port, external) : null;
        const forged = new URL(redirect);
        forged.searchParams.set('state', 'forged');
        seen.wrongState = (await fetch(forged)).status;
        expect((await fetch(redirect)).status).toBe(200);
        // A second redirect finds nobody listening.
        seen.after = await fetch(redirect).then(() => false, () => true);
      },
    });
    expect(seen.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    expect(seen.wrongState).toBe(400);
    expect(seen.after).toBe(true);
    if (seen.otherIface !== null) expect(seen.otherIface).toBe(true);
    const auth = oauth.authRequests[0]!;
    expect(auth).toMatchObject({ response_type: 'code', client_id: 'desktop-client', code_challenge_method: 'S256', access_type: 'offline' });
    expect(auth.scope!.split(' ').sort()).toEqual([...GMAIL_SCOPES_DIRECT].sort());
    expect(auth.state!.length).toBeGreaterThanOrEqual(32);
    const tokenReq = oauth.tokenRequests[0]!;
    expect(createHash('sha256').update(tokenReq.code_verifier!).digest('base64url')).toBe(auth.code_challenge);
    expect(tokenReq.code_verifier!.length).toBeGreaterThanOrEqual(43);
    expect(tokens.refreshToken).toMatch(/^refresh-/);
  });

  it('a declined consent (error=access_denied with our state) ends the flow with a clear error', async () => {
    await expect(
      runLoopbackFlow({
        clientId: 'c',
        scopes: GMAIL_SCOPES_DIRECT,
        endpoints: oauth.endpoints,
        openBrowser: async (url) => {
          const { redirect } = await browse(url);
          redirect.searchParams.delete('code');
          redirect.searchParams.set('error', 'access_denied');
          await fetch(redirect);
        },
      }),
    ).rejects.toThrow(/declined/);
  });

  it('times out when the browser never comes back', async () => {
    await expect(runLoopbackFlow({ clientId: 'c', scopes: GMAIL_SCOPES_DIRECT, endpoints: oauth.endpoints, timeoutMs: 300, openBrowser: () => undefined })).rejects.toThrow(/timed out/);
  });
});

describe('Gmail connection: token only in the SecretStore, invalid_grant → reconnect, disconnect revokes', () => {
  let gmail: FakeGmail;
  let db: Db;
  beforeEach(async () => {
    gmail = await startFakeGmail({ email: 'Owner@Shop.example' });
    db = tmpDb();
  });
  afterEach(async () => {
    db.close();
    await gmail.close();
  });

  it('connects, uses the refresh token for API calls, asks to reconnect on invalid_grant, and disconnects', async () => {
    const secrets = memorySecrets();
    const deps: GmailConnectionDeps = { db, secrets, clientId: () => 'desktop-client', sendMode: () => 'direct', endpoints: oauth.endpoints, rootUrl: gmail.rootUrl };
    const r = await connectGmail(deps, { clientSecret: 'shh', openBrowser: async (url) => void (await fetch((await browse(url)).redirect)) });
    expect(r.email).toBe('owner@shop.example');
    const token = secrets.data.get(SECRET_REFRESH_TOKEN)!;
    expect(token).toMatch(/^refresh-/);
    expect(JSON.stringify(db.prepare('SELECT * FROM gmail_state').all())).not.toContain(token);
    expect(JSON.stringify(db.prepare('SELECT * FROM settings').all())).not.toContain(token);

    const api = await authorizedApi(deps);
    expect((await api.profile()).emailAddress).toBe('Owner@Shop.example');

    oauth.revoked.add(token);
    const fresh = await authorizedApi(deps);
    const err = await fresh.profile().catch((e: unknown) => e);
    const explained = explainGmailFailure(db, err);
    expect(explained.code).toBe('UNAUTHORIZED');
    expect(explained.message).toMatch(/Reconnect Gmail/);
    expect(readGmailState(db).needsReconnect).toBe(true);
    await expect(authorizedApi(deps)).rejects.toThrow(/Reconnect/);

    oauth.revoked.clear();
    const d = await disconnectGmail(deps);
    expect(d.revoked).toBe(true);
    expect(oauth.revoked.has(token)).toBe(true);
    expect(secrets.data.size).toBe(0);
    expect(readGmailState(db).email).toBeNull();
    await expect(authorizedApi(deps)).rejects.toThrow(/not connected/);
  });
});
