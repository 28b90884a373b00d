/**
 * Retrying Gmail API calls the way Google asks (Gmail API "Usage limits" and "Resolve errors"):
 * `429 Too Many Requests`, `403` with reason `rateLimitExceeded` / `userRateLimitExceeded`, and 5xx
 * are retried with truncated exponential backoff starting at ≥ 1 s, with random jitter, honouring
 * `Retry-After` when the server sends one. Everything else is returned to the caller at once: a 404,
 * a 400, a 401/invalid_grant are answers, not congestion.
 */

/** What {@link classifyGmailError} read off a failed call. */
export interface GmailErrorInfo {
  /** HTTP status, or null for a network failure (no response). */
  status: number | null;
  /** First Google error reason (`rateLimitExceeded`, `notFound`, …), or null. */
  reason: string | null;
  /** `Retry-After` in milliseconds, when sent. */
  retryAfterMs: number | null;
  message: string;
  /** Retrying may help (rate limit, 5xx). */
  retryable: boolean;
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};
}

/** Reads status, Google's error reason and Retry-After off a gaxios error (shapes read defensively). */
export function classifyGmailError(err: unknown): GmailErrorInfo {
  const e = record(err);
  const response = record(e.response);
  const status = typeof response.status === 'number' ? response.status : typeof e.status === 'number' ? e.status : null;
  const data = record(response.data);
  const error = record(data.error);
  const errors = Array.isArray(error.errors) ? error.errors : Array.isArray(e.errors) ? (e.errors as unknown[]) : [];
  const first = record(errors[0]);
  const reason = typeof first.reason === 'string' ? first.reason : typeof data.error === 'string' ? data.error : null;
  const headers = response.headers;
  let retryAfter: string | null = null;
  if (headers && typeof (headers as { get?: unknown }).get === 'function') retryAfter = (headers as Headers).get('retry-after');
  else if (typeof record(headers)['retry-after'] === 'string') retryAfter = record(headers)['retry-after'] as string;
  const seconds = retryAfter !== null ? Number(retryAfter) : NaN;
  const rate = status === 429 || (status === 403 && (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded'));
  return {
    status,
    reason,
    retryAfterMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null,
    message: typeof error.message === 'string' ? error.message : err instanceof Error ? err.message : String(err),
    retryable: rate || (status !== null && status >= 500 && status <= 599),
  };
}

/** Options of {@link withBackoff}. Times in milliseconds. */
export interface BackoffOptions {
  /** Retries after the first attempt. Default 6 (waits of about 1, 2, 4, 8, 16, 32 s). */
  retries?: number;
  /** First wait; never below 1000. Default 1000. */
  baseMs?: number;
  /** Longest single wait. Default 64 000 (Google's suggested maximum_backoff). */
  maxMs?: number;
  /** Injected for tests: waits `ms`. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: uniform in [0, 1). */
  random?: () => number;
  /** Narrows what is retried (default: `info.retryable`); sends retry rate limits only. */
  retryIf?: (info: GmailErrorInfo) => boolean;
  /** Called before each wait, e.g. for a log line. */
  onRetry?: (info: GmailErrorInfo, attempt: number, waitMs: number) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn`, retrying retryable Gmail errors (see module doc). Wait before retry n (0-based):
 * min(maxMs, base·2ⁿ) + jitter in [0, 1000) ms, or Retry-After when larger.
 * @throws the last error when retries run out, or at once for a non-retryable error.
 */
export async function withBackoff<T>(fn: () => Promise<T>, opts: BackoffOptions = {}): Promise<T> {
  const retries = opts.retries ?? 6;
  const base = Math.max(1000, opts.baseMs ?? 1000);
  const max = Math.max(base, opts.maxMs ?? 64_000);
  const wait = opts.sleep ?? sleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const info = classifyGmailError(err);
      if (!(opts.retryIf ? opts.retryIf(info) && info.retryable : info.retryable) || attempt >= retries) throw err;
      const backoff = Math.min(max, base * 2 ** attempt) + Math.floor(random() * 1000);
      const ms = Math.max(backoff, info.retryAfterMs ?? 0);
      opts.onRetry?.(info, attempt, ms);
      await wait(ms);
    }
  }
}
