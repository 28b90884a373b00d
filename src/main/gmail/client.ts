/**
 * The Gmail API client (googleapis' generated gmail_v1, loaded alone rather than through the
 * `googleapis` index, which pulls in every Google API and costs about a second at start-up).
 *
 * `rootUrl` points the client at another server (the fake Gmail of the tests and the bench); the
 * library's own retries are off because {@link withBackoff} owns retrying, and two retry loops
 * stacked would multiply the requests a rate limit gets.
 */
import { auth as googleAuth, gmail_v1 } from 'googleapis/build/src/apis/gmail';

export type Gmail = gmail_v1.Gmail;
export type OAuth2Client = InstanceType<typeof googleAuth.OAuth2>;
export { googleAuth };

/** Options of {@link createGmailClient}. */
export interface GmailClientOptions {
  /** An OAuth2 client holding (or able to refresh) the access token. */
  auth: OAuth2Client;
  /** API root with trailing slash; default Google's `https://gmail.googleapis.com/`. */
  rootUrl?: string;
  /** Per-request timeout in milliseconds. Default 60 000. */
  timeoutMs?: number;
}

/** A Gmail API v1 client (see module doc). */
export function createGmailClient(opts: GmailClientOptions): Gmail {
  return new gmail_v1.Gmail({
    auth: opts.auth,
    ...(opts.rootUrl ? { rootUrl: opts.rootUrl } : {}),
    retry: false,
    timeout: opts.timeoutMs ?? 60_000,
  });
}
