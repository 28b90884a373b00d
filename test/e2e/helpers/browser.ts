/**
 * Debian's Chromium for the browser tests (STACK.md: playwright-core with /usr/bin/chromium, never
 * `playwright install`). When Chromium is missing the tests skip with a printed reason on a
 * developer's machine, but fail loudly on CI (CI set to anything but "false" or "0"), where a
 * skipped UI test would hide a broken setup.
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.BACKORDER_DESK_CHROMIUM ?? '/usr/bin/chromium';

/** Flags from STACK.md; --disable-quic and friends keep the browser from reaching the network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export type ChromiumAvailability = { ok: true } | { ok: false; reason: string };

/**
 * Whether the browser tests can run here. Throws on CI when Chromium is missing, so the test file
 * fails instead of skipping; elsewhere prints why the tests are skipped.
 */
export function chromiumAvailability(): ChromiumAvailability {
  if (fs.existsSync(CHROMIUM_PATH)) return { ok: true };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set BACKORDER_DESK_CHROMIUM)`;
  const ci = process.env.CI;
  if (ci && ci !== 'false' && ci !== '0') throw new Error(`Browser tests cannot run on CI: ${reason}.`);
  console.warn(`Skipping browser tests: ${reason}.`);
  return { ok: false, reason };
}

/** Launches headless Chromium with the flags above. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
