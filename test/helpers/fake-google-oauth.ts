/**
 * A fake Google OAuth 2.0 server on 127.0.0.1: an authorization endpoint that "consents" at once
 * and redirects (302) to the client's redirect_uri with a code and the state it was given, a token
 * endpoint (authorization_code with PKCE S256 verification per RFC 7636 §4.6, refresh_token with
 * `invalid_grant` once revoked), and a revocation endpoint (RFC 7009).
 */
import http from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export class FakeGoogleOAuth {
  port = 0;
  private server!: http.Server;
  /** Every authorization request's query. */
  readonly authRequests: Record<string, string>[] = [];
  readonly tokenRequests: Record<string, string>[] = [];
  readonly revoked = new Set<string>();
  private codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  private seq = 0;

  get endpoints(): { authUrl: string; tokenUrl: string; revokeUrl: string } {
    const base = `http://127.0.0.1:${this.port}`;
    return { authUrl: `${base}/auth`, tokenUrl: `${base}/token`, revokeUrl: `${base}/revoke` };
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString()));
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/auth') {
      const q = Object.fromEntries(url.searchParams.entries());
      this.authRequests.push(q);
      const code = `code-${++this.seq}`;
      this.codes.set(code, { challenge: q.code_challenge ?? '', redirectUri: q.redirect_uri ?? '', scope: q.scope ?? '' });
      const to = new URL(q.redirect_uri ?? 'http://127.0.0.1/');
      to.searchParams.set('code', code);
      to.searchParams.set('state', q.state ?? '');
      to.searchParams.set('scope', q.scope ?? '');
      res.writeHead(302, { location: to.toString() });
      res.end();
      return;
    }
    const form = Object.fromEntries(new URLSearchParams(body).entries());
    if (url.pathname === '/token') {
      this.tokenRequests.push(form);
      if (form.grant_type === 'authorization_code') {
        const c = this.codes.get(form.code ?? '');
        const challenge = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
        if (!c || c.challenge !== challenge || c.redirectUri !== form.redirect_uri) return this.json(res, 400, { error: 'invalid_grant', error_description: 'Bad code or verifier' });
        this.codes.delete(form.code!);
        return this.json(res, 200, { access_token: `access-${++this.seq}`, refresh_token: `refresh-${this.seq}`, expires_in: 3599, scope: c.scope, token_type: 'Bearer' });
      }
      if (form.grant_type === 'refresh_token') {
        if (this.revoked.has(form.refresh_token ?? '')) return this.json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        return this.json(res, 200, { access_token: `access-${++this.seq}`, expires_in: 3599, token_type: 'Bearer' });
      }
      return this.json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (url.pathname === '/revoke') {
      const token = form.token ?? url.searchParams.get('token') ?? '';
      this.revoked.add(token);
      return this.json(res, 200, {});
    }
    this.json(res, 404, { error: 'not_found' });
  }
}
