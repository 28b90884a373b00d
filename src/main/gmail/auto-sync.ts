/**
 * Scheduled Gmail sync: a light check every `checkEveryMs` (default 30 s) starts a sync when the poll
 * interval (setting `gmail.pollMinutes`, default 5 minutes) has passed since the last attempt.
 * Scheduling is by wall clock, not by counting timer ticks, so a laptop that slept through several
 * intervals syncs once at the first check after waking; the Electron shell also calls `wake()` on
 * powerMonitor 'resume' so it does not wait for that check.
 *
 * One sync runs at a time: "Sync now" during a scheduled run joins it, and a check while a run is in
 * flight does nothing. Every Gmail call is asynchronous and each fetched batch (≤ 50 messages) is
 * written in one short transaction (sync.ts), so the UI is never blocked for long. A failed
 * scheduled run is not thrown anywhere: its message is in `gmail_state.last_error` (through
 * connection.ts explainGmailFailure) and shown by `gmail.status`; the next interval tries again.
 * A connection that needs a reconnect (invalid_grant) is not retried until the owner reconnects.
 */

/** Timer functions, injectable so tests drive the schedule with a fake clock. */
export interface SchedulerTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** What the scheduler needs from the Gmail side (handlers.ts supplies it). */
export interface GmailAutoSyncDeps<R> {
  /** Poll interval in minutes, read at every check so a changed setting applies at once. */
  intervalMinutes(): number;
  /** True when a refresh token is stored and Google has not refused it (no reconnect pending). */
  ready(): Promise<boolean>;
  /** One sync (partial, or full when `full`); rejects on failure after recording it. */
  sync(full: boolean): Promise<R>;
  /** Wall clock in epoch milliseconds. Default Date.now. */
  nowMs?: () => number;
  timers?: SchedulerTimers;
  /** Interval of the light check in milliseconds. Default 30,000. */
  checkEveryMs?: number;
}

const defaultTimers: SchedulerTimers = {
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref(); // the schedule must never keep a CLI process alive
    return t;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/** The Gmail poll schedule (see module doc). */
export class GmailAutoSync<R> {
  private running: Promise<R> | null = null;
  private lastAttemptMs = Number.NEGATIVE_INFINITY;
  private handle: unknown = null;
  private readonly nowMs: () => number;
  private readonly timers: SchedulerTimers;

  constructor(private readonly deps: GmailAutoSyncDeps<R>) {
    this.nowMs = deps.nowMs ?? Date.now;
    this.timers = deps.timers ?? defaultTimers;
  }

  /** Starts the periodic check (Electron, web mode). Idempotent. */
  start(): void {
    if (this.handle !== null) return;
    this.handle = this.timers.setInterval(() => void this.wake(), this.deps.checkEveryMs ?? 30_000);
  }

  /** True while a sync runs. */
  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * Runs a sync now, or joins the one in flight. Resolves with its summary.
   * @throws whatever the sync throws (already recorded in the Gmail state by the caller's sync).
   */
  syncNow(full = false): Promise<R> {
    if (this.running) return this.running;
    this.lastAttemptMs = this.nowMs();
    const run = this.deps.sync(full).finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  /**
   * Starts a sync when the interval has passed since the last attempt (timer check, wake from
   * sleep). Resolves when that sync ends (or at once when none was due); never rejects.
   * @returns whether a sync was started.
   */
  async wake(): Promise<boolean> {
    if (this.running) return false;
    const minutes = this.deps.intervalMinutes();
    if (this.nowMs() - this.lastAttemptMs < minutes * 60_000) return false;
    if (!(await this.deps.ready().catch(() => false))) return false;
    if (this.running) return false; // a "Sync now" started while `ready` was answering
    await this.syncNow().catch(() => undefined); // recorded in gmail_state and shown by gmail.status
    return true;
  }

  /** Stops the periodic check; a sync in flight finishes on its own. */
  close(): void {
    if (this.handle !== null) this.timers.clearInterval(this.handle);
    this.handle = null;
  }
}
