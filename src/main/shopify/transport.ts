/**
 * The fetch every Shopify request goes through (GraphQL calls of @shopify/shopify-api, the token
 * request, bulk JSONL downloads).
 *
 * Why a custom fetch: the library builds `https://{shop}/admin/api/{version}/graphql.json` and forces
 * https (admin-api-client `validateDomainAndGetStoreUrl`), so a test peer on 127.0.0.1 cannot be
 * reached through `customShopDomains` or `hostScheme` (the latter is the *app's* scheme). The Node
 * adapter captures `globalThis.fetch` when imported; `setAbstractFetchFunc` swaps in this function,
 * which (1) sends requests for a shop that has a registered route to that origin instead
 * (tests, `shopifyRoute()`), and (2) puts a deadline on every request so a stalled connection becomes a
 * retryable error instead of a hang. Without a route the URL is left untouched.
 */
import '@shopify/shopify-api/adapters/node';
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';

const routes = new Map<string, string>();
let timeoutMs = 30_000;

/**
 * Sends every request for `shopHost` (e.g. 'test-shop.myshopify.com') to `origin`
 * (e.g. 'http://127.0.0.1:4312') instead. Returns a function that removes the route.
 */
export function shopifyRoute(shopHost: string, origin: string): () => void {
  routes.set(shopHost.toLowerCase(), origin.replace(/\/$/, ''));
  return () => {
    routes.delete(shopHost.toLowerCase());
  };
}

/** Deadline of each HTTP request in milliseconds (default 30 s). */
export function setRequestTimeout(ms: number): void {
  timeoutMs = ms;
}

/** The current request deadline in milliseconds. */
export function requestTimeout(): number {
  return timeoutMs;
}

/** fetch with the route table and the deadline applied. */
export const shopifyFetch: typeof fetch = async (input, init) => {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const url = new URL(raw);
  const origin = routes.get(url.host.toLowerCase());
  const target = origin ? `${origin}${url.pathname}${url.search}` : url.href;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  return globalThis.fetch(target, { ...init, signal });
};

setAbstractFetchFunc(shopifyFetch as Parameters<typeof setAbstractFetchFunc>[0]);
