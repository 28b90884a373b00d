/**
 * The app's Admin API client: @shopify/shopify-api's GraphQL client (API version pinned in
 * version.ts) with what a long sync needs around it:
 *
 * - pacing by the cost bucket of the last reply (pacer.ts) before each request;
 * - retries with exponential backoff and full jitter for THROTTLED replies, HTTP 429 (Retry-After
 *   honoured), 5xx and network failures or timeouts; a refused credential (401/403) is not retried;
 * - MAX_COST_EXCEEDED, or a requested cost above the bucket, surfaces as CostExceededError so the
 *   caller splits the query (smaller pages);
 * - every reply checked against a zod schema (ShapeError names the field);
 * - credentials: an Admin API access token (custom app, `shpat_…`), or the client ID and secret of a
 *   Dev Dashboard app exchanged for a token by the client credentials grant
 *   (POST https://{shop}/admin/oauth/access_token, grant_type=client_credentials; the token lasts
 *   about 24 h and is renewed 10 minutes before it expires).
 *
 * Source: Shopify Admin GraphQL API 2026-04, "rate limits" and "client credentials grant".
 */
import { GraphqlQueryError, HttpRequestError, HttpResponseError, HttpThrottlingError, LogSeverity, Session, shopifyApi } from '@shopify/shopify-api';
import type { GraphqlClient } from '@shopify/shopify-api';
import { z } from 'zod';
import { AppError } from '../../shared/result';
import { CostExceededError } from './errors';
import { ThrottlePacer, type ThrottleStatus } from './pacer';
import { parseShape } from './shape';
import './transport';
import { SHOPIFY_API_VERSION } from './version';

/** How the app authenticates against the shop. */
export type ShopifyCredentials =
  | { kind: 'token'; accessToken: string }
  | { kind: 'client_credentials'; clientId: string; clientSecret: string };

export interface RetryPolicy {
  /** Attempts per request, the first included (default 8). */
  maxAttempts: number;
  /** First backoff step in ms (default 500); doubles per attempt, capped at `capMs`. */
  baseMs: number;
  capMs: number;
}

export interface ShopifyClientOptions {
  /** 'example.myshopify.com' */
  shop: string;
  credentials: ShopifyCredentials;
  retry?: Partial<RetryPolicy>;
  /** Injected for tests: waiting, randomness (jitter) and the clock in ms. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  clockMs?: () => number;
  /** Called before each retry, for logs and progress. */
  onRetry?: (info: { operation: string; attempt: number; waitMs: number; reason: string }) => void;
}

const costSchema = z
  .object({
    requestedQueryCost: z.number().nullish(),
    actualQueryCost: z.number().nullish(),
    throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }),
  })
  .partial({ requestedQueryCost: true, actualQueryCost: true });

const tokenReplySchema = z.object({ access_token: z.string().min(1), scope: z.string().optional(), expires_in: z.number().optional() });

const RENEW_BEFORE_MS = 10 * 60_000;
const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface GraphQlErrorItem {
  message?: string;
  extensions?: { code?: string; cost?: number; maxCost?: number };
}

/** One Admin API connection for one shop. */
export class ShopifyClient {
  readonly pacer: ThrottlePacer;
  readonly shop: string;
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly clockMs: () => number;
  private session: { client: GraphqlClient; expiresAtMs: number | null } | null = null;
  private readonly api: ReturnType<typeof shopifyApi>;

  constructor(private readonly opts: ShopifyClientOptions) {
    if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(opts.shop)) {
      throw new AppError('BAD_INPUT', `"${opts.shop}" is not a shop domain; use the form your-store.myshopify.com.`);
    }
    this.shop = opts.shop;
    this.retry = { maxAttempts: 8, baseMs: 500, capMs: 30_000, ...opts.retry };
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.clockMs = opts.clockMs ?? Date.now;
    this.pacer = new ThrottlePacer(this.clockMs);
    const c = opts.credentials;
    this.api = shopifyApi({
      apiKey: c.kind === 'client_credentials' ? c.clientId : 'backorder-desk',
      apiSecretKey: c.kind === 'client_credentials' ? c.clientSecret : 'not-used-with-an-access-token',
      apiVersion: SHOPIFY_API_VERSION,
      hostName: 'localhost',
      isEmbeddedApp: false,
      logger: { level: LogSeverity.Error, log: () => Promise.resolve() },
    });
  }

  /** A GraphQL client with a valid token, asking for a new token when the old one is near expiry. */
  private async graphql(): Promise<GraphqlClient> {
    const s = this.session;
    if (s && (s.expiresAtMs === null || s.expiresAtMs - RENEW_BEFORE_MS > this.clockMs())) return s.client;
    const c = this.opts.credentials;
    let session: Session;
    let expiresAtMs: number | null = null;
    if (c.kind === 'token') {
      session = new Session({ id: `offline_${this.shop}`, shop: this.shop, state: '', isOnline: false, accessToken: c.accessToken });
    } else {
      session = await this.withRetries('access token', async () => {
        try {
          const r = await this.api.auth.clientCredentials({ shop: this.shop });
          return r.session;
        } catch (err) {
          if (err instanceof HttpResponseError && (err.response.code === 400 || err.response.code === 401 || err.response.code === 403)) {
            throw new AppError('UNAUTHORIZED', `Shopify refused the client ID and secret for ${this.shop} (HTTP ${err.response.code}). Check them in the Dev Dashboard, and that the app is installed on this store.`);
          }
          throw err;
        }
      });
      parseShape('access token', tokenReplySchema, { access_token: session.accessToken, expires_in: 1 });
      expiresAtMs = session.expires ? session.expires.getTime() - Date.now() + this.clockMs() : null;
    }
    const client = new this.api.clients.Graphql({ session, apiVersion: SHOPIFY_API_VERSION });
    this.session = { client, expiresAtMs };
    return client;
  }

  /** Forgets the token so the next request fetches a new one (after a 401 with client credentials). */
  private dropSession(): void {
    this.session = null;
  }

  private backoffMs(attempt: number): number {
    const cap = Math.min(this.retry.capMs, this.retry.baseMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + this.random() * (cap / 2));
  }

  /** Runs `fn`, retrying what is worth retrying (see the module comment). */
  private async withRetries<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const verdict = this.classify(err, attempt);
        if (verdict.retry === false || attempt >= this.retry.maxAttempts) {
          if (err instanceof AppError || err instanceof CostExceededError) throw err;
          throw new AppError('UNAVAILABLE', `Shopify ${operation} failed after ${attempt} attempt(s): ${verdict.reason}`);
        }
        this.opts.onRetry?.({ operation, attempt, waitMs: verdict.waitMs, reason: verdict.reason });
        await this.sleep(verdict.waitMs);
      }
    }
  }

  private classify(err: unknown, attempt: number): { retry: false; reason: string } | { retry: true; waitMs: number; reason: string } {
    if (err instanceof AppError || err instanceof CostExceededError) return { retry: false, reason: err.message };
    if (err instanceof HttpThrottlingError) {
      const after = err.response.retryAfter;
      const waitMs = after !== undefined && Number.isFinite(after) ? Math.max(after * 1000, this.backoffMs(attempt)) : this.backoffMs(attempt);
      return { retry: true, waitMs, reason: 'HTTP 429 (too many requests)' };
    }
    if (err instanceof HttpResponseError) {
      const code = err.response.code;
      if (code >= 500) return { retry: true, waitMs: this.backoffMs(attempt), reason: `HTTP ${code}` };
      if (code === 401 || code === 403) {
        if (this.opts.credentials.kind === 'client_credentials' && code === 401 && attempt === 1) {
          this.dropSession();
          return { retry: true, waitMs: 0, reason: 'token expired' };
        }
        return { retry: false, reason: `Shopify refused the credentials (HTTP ${code}); reconnect with a valid token and the scopes listed in Settings.` };
      }
      return { retry: false, reason: `HTTP ${code}: ${err.message.slice(0, 300)}` };
    }
    if (err instanceof HttpRequestError) return { retry: true, waitMs: this.backoffMs(attempt), reason: `network: ${err.message.slice(0, 200)}` };
    if (err instanceof TypeError || (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError'))) {
      return { retry: true, waitMs: this.backoffMs(attempt), reason: `network: ${err.message}` };
    }
    return { retry: false, reason: err instanceof Error ? err.message : String(err) };
  }

  /**
   * Sends one GraphQL operation and returns its `data`, checked against `schema`.
   * @param operation the operation's name (used for cost estimates and messages)
   * @param fallbackCost cost to assume before Shopify reported one for this operation
   * @throws CostExceededError when the query must be split; ShapeError on an unexpected reply;
   *   AppError('UNAUTHORIZED' | 'UNAVAILABLE') when credentials are refused or retries run out.
   */
  async request<S extends z.ZodType>(operation: string, document: string, variables: Record<string, unknown>, schema: S, fallbackCost = 50): Promise<z.output<S>> {
    return this.withRetries(operation, async () => {
      const expected = this.pacer.expectedCost(operation, fallbackCost);
      const max = this.pacer.maximum();
      if (max !== null && expected > max) throw new CostExceededError(expected, max);
      const wait = this.pacer.waitMs(expected);
      if (wait > 0) await this.sleep(wait);
      const client = await this.graphql();
      let reply: { data?: unknown; extensions?: unknown };
      try {
        reply = (await client.request(document, { variables, retries: 0 })) as { data?: unknown; extensions?: unknown };
      } catch (err) {
        if (err instanceof GraphqlQueryError) {
          const body = err.body as { errors?: { graphQLErrors?: GraphQlErrorItem[] }; extensions?: unknown } | undefined;
          const status = this.observe(operation, body?.extensions);
          const items = body?.errors?.graphQLErrors ?? [];
          const codes = items.map((e) => e.extensions?.code);
          if (codes.includes('MAX_COST_EXCEEDED')) {
            const item = items.find((e) => e.extensions?.code === 'MAX_COST_EXCEEDED');
            throw new CostExceededError(item?.extensions?.cost ?? expected, item?.extensions?.maxCost ?? max ?? 1000);
          }
          if (codes.includes('THROTTLED')) {
            const requested = this.pacer.expectedCost(operation, expected);
            if (status && requested > status.maximumAvailable) throw new CostExceededError(requested, status.maximumAvailable);
            throw new HttpRequestError(`throttled (${status ? `${Math.floor(status.currentlyAvailable)} of ${requested} points available` : 'no cost reported'})`);
          }
          throw new AppError('UNAVAILABLE', `Shopify ${operation}: ${items.map((e) => e.message ?? e.extensions?.code ?? 'error').join('; ').slice(0, 500)}`);
        }
        throw err;
      }
      this.observe(operation, reply.extensions);
      return parseShape(operation, schema, reply.data ?? null);
    });
  }

  /** Reads the cost extension of a reply into the pacer; returns the throttle status if there was one. */
  private observe(operation: string, extensions: unknown): ThrottleStatus | null {
    const cost = costSchema.safeParse((extensions as { cost?: unknown } | undefined)?.cost);
    if (!cost.success) return null;
    this.pacer.observe(operation, cost.data.throttleStatus, cost.data.requestedQueryCost ?? null);
    return cost.data.throttleStatus;
  }
}
