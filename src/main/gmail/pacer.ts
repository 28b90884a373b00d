/**
 * Keeps the app inside Gmail's per-user quota (Gmail API "Usage limits": 15,000 quota units per user
 * per minute, i.e. 250 per second on average; messages.get and messages.list 5 units, history.list
 * 2, messages.send and drafts.send 100, drafts.create 10). A token bucket: `ratePerSecond` units
 * refill continuously up to `burst`; a call waits until its units are available. Waiting here costs
 * time; exceeding the quota costs 429s, backoff, and a share of the project-wide quota.
 */

/** Quota units per Gmail API method (Gmail API "Usage limits" → per-method quota usage). */
export const GMAIL_UNITS = {
  'users.getProfile': 1,
  'messages.list': 5,
  'messages.get': 5,
  'messages.send': 100,
  'drafts.create': 10,
  'drafts.get': 5,
  'drafts.list': 5,
  'drafts.send': 100,
  'history.list': 2,
  'threads.get': 10,
} as const;
export type GmailMethod = keyof typeof GMAIL_UNITS;

/** Options of {@link QuotaPacer}. */
export interface PacerOptions {
  /** Sustained units per second. Default 200 (a margin under 250). */
  ratePerSecond?: number;
  /** Bucket size: how many units may go at once after a pause. Default 2 000. */
  burst?: number;
  /** Clock in milliseconds; injected by tests and the bench. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Token bucket over quota units (see module doc). One per mailbox. */
export class QuotaPacer {
  private readonly rate: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();
  /** Units taken so far. */
  used = 0;

  constructor(opts: PacerOptions = {}) {
    this.rate = opts.ratePerSecond ?? 200;
    this.burst = opts.burst ?? 2_000;
    this.now = opts.now ?? (() => Date.now());
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Waits until `method`'s units are available, then takes them. Calls are served in order. */
  take(method: GmailMethod): Promise<void> {
    const units = GMAIL_UNITS[method];
    const turn = this.queue.then(async () => {
      for (;;) {
        const t = this.now();
        this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
        this.last = t;
        if (this.tokens >= units) {
          this.tokens -= units;
          this.used += units;
          return;
        }
        await this.sleep(Math.ceil(((units - this.tokens) / this.rate) * 1000));
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
