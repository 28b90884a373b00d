/**
 * The Gmail poll schedule through the whole core, with an injected wall clock and timer against the
 * fake Gmail server: nothing runs while disconnected, a check syncs once the interval has passed
 * (not before), a changed interval applies at once, a laptop that slept syncs once on wake, two
 * "Sync now" calls share one run, and a failed scheduled run is recorded for the owner and retried
 * at the next interval instead of being thrown.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SchedulerTimers } from '../../src/main/gmail/auto-sync';
import { SECRET_REFRESH_TOKEN } from '../../src/main/gmail/connection';
import type { GmailSyncProgress } from '../../src/shared/contract';
import { startFakeGmail, type FakeGmail } from '../helpers/fake-gmail';
import { FakeGoogleOAuth } from '../helpers/fake-google-oauth';
import { eml } from '../helpers/gmail-db';
import { call, gmailCore, type GmailCoreFixture } from '../helpers/gmail-core';

let fake: FakeGmail;
let oauth: FakeGoogleOAuth;
let fx: GmailCoreFixture;
let wallMs = Date.parse('2026-11-02T16:00:00Z');
let check: (() => void) | null = null;
let checkEveryMs = 0;
const timers: SchedulerTimers = {
  setInterval: (fn, ms) => {
    check = fn;
    checkEveryMs = ms;
    return 1;
  },
  clearInterval: () => {
    check = null;
  },
};

const syncs = (): number => fake.count('GET', /^(profile|history)$/);
const minutes = (n: number): void => {
  wallMs += n * 60_000;
};
/** Fires the periodic check and waits until the run it may have started has ended. */
async function fire(): Promise<void> {
  check!();
  await new Promise((r) => setTimeout(r, 30));
  await vi.waitFor(async () => expect((await call(fx.core, 'gmail.status', {})).syncing).toBe(false), { timeout: 5_000, interval: 10 });
}

beforeEach(async () => {
  wallMs = Date.parse('2026-11-02T16:00:00Z');
  fake = await startFakeGmail();
  oauth = await new FakeGoogleOAuth().start();
  fx = gmailCore(fake, oauth, {
    now: () => new Date(wallMs).toISOString(),
    connected: false,
    gmail: { autoSync: true, schedule: { nowMs: () => wallMs, timers, checkEveryMs: 30_000 } },
  });
});
afterEach(async () => {
  fx.core.close();
  await fake.close();
  await oauth.close();
});

describe('scheduled Gmail sync (injected clock and timer, fake Gmail)', () => {
  it('waits for a connection, then syncs on the poll interval; wake after sleep syncs once; the interval setting applies at once', async () => {
    expect(check).not.toBeNull();
    expect(checkEveryMs).toBe(30_000);
    await fire();
    expect(syncs()).toBe(0); // not connected: no request at all

    fx.secrets.data.set(SECRET_REFRESH_TOKEN, 'refresh-test');
    await fire();
    expect(syncs()).toBe(1); // the first check after connecting runs the first (full) sync
    const first = await call(fx.core, 'gmail.status', {});
    expect(first.lastSyncAt).toBe('2026-11-02T16:00:00.000Z');
    expect(first.pollMinutes).toBe(5);

    minutes(4);
    await fire();
    expect(syncs()).toBe(1); // 4 of 5 minutes: not yet
    minutes(1);
    fake.deliver(eml({ from: 'x@else.example', subject: 'hello', body: 'hi' }));
    await fire();
    expect(syncs()).toBe(2);
    expect(fake.count('GET', /^history$/)).toBe(1); // afterwards only changes are read

    // The laptop sleeps for three hours: no timer fires meanwhile; waking syncs exactly once.
    minutes(180);
    fx.core.wake();
    await new Promise((r) => setTimeout(r, 30));
    await vi.waitFor(async () => expect((await call(fx.core, 'gmail.status', {})).syncing).toBe(false));
    expect(syncs()).toBe(3);
    await fire();
    expect(syncs()).toBe(3);

    await call(fx.core, 'settings.update', { gmail: { ...(await call(fx.core, 'settings.get', {})).gmail, pollMinutes: 1 } });
    minutes(1);
    await fire();
    expect(syncs()).toBe(4);
  });

  it('"Sync now" twice at once is one run with progress events; a failed scheduled run is shown, not thrown, and retried next interval', async () => {
    fx.secrets.data.set(SECRET_REFRESH_TOKEN, 'refresh-test');
    const progress: GmailSyncProgress[] = [];
    fx.core.on('gmail.progress', (p) => progress.push(p));
    fake.deliver(eml({ from: 'a@else.example', subject: 'x', body: 'y' }));
    const [a, b] = await Promise.all([fx.core.dispatch('gmail.syncNow', {}), fx.core.dispatch('gmail.syncNow', {})]);
    expect(a).toEqual(b);
    expect(fake.count('GET', /^profile$/)).toBe(1);
    expect(progress.map((p) => p.phase)).toEqual(['starting', 'done']);

    minutes(5);
    fake.fail({ path: /^history$/, status: 500, times: 10 });
    await fire();
    const failed = await call(fx.core, 'gmail.status', {});
    expect(failed.lastError).toMatch(/500/);
    expect(failed.lastSyncAt).toBe('2026-11-02T16:00:00.000Z');
    expect(progress.at(-1)).toMatchObject({ phase: 'failed' });

    fake.clearFaults();
    minutes(5);
    await fire();
    const ok = await call(fx.core, 'gmail.status', {});
    expect(ok.lastError).toBeNull();
    expect(ok.lastSyncAt).toBe('2026-11-02T16:10:00.000Z');
  });

  it('a connection Google refused (invalid_grant) is not polled until the owner reconnects', async () => {
    fx.secrets.data.set(SECRET_REFRESH_TOKEN, 'refresh-test');
    oauth.revoked.add('refresh-test');
    await fire();
    const s = await call(fx.core, 'gmail.status', {});
    expect(s.needsReconnect).toBe(true);
    const tokenCalls = oauth.tokenRequests.length;
    minutes(60);
    await fire();
    expect(oauth.tokenRequests.length).toBe(tokenCalls);
  });
});
