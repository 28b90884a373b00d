/**
 * The whole review flow in a real browser: web mode (src/main/web/server.ts) over the real core
 * (createCore on a temp SQLite file) with a real SMTP server on 127.0.0.1. Import the demo store's
 * four Shopify exports, see the backorders, approve two hour-0 drafts, send them, and find exactly
 * those two messages at the SMTP server. Screenshots of each stage: test-results/screenshots/flow-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/main/app/core';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import type { MessageRow } from '../../src/shared/domain';
import { headerOf, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { chromiumAvailability, launchChromium } from './helpers/browser';
import { addressOf, decodeHeader } from './helpers/mime';
import { buildRenderer } from './helpers/renderer-build';
import { screenshot } from './helpers/screenshots';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const demoDir = path.join(projectRoot, 'resources/demo');
const demoFiles = ['orders_export.csv', 'products_export.csv', 'inventory_export.csv', 'customers_export.csv'].map((f) =>
  path.join(demoDir, f),
);
// The demo store's newest order is from Black Friday 2026-11-27 (resources/demo/README.md).
const NOW = '2026-11-28T15:00:00.000Z';

const chromium = chromiumAvailability();

describe.skipIf(!chromium.ok)('review flow in the browser, on the real core', () => {
  let dir: string;
  let smtp: TestSmtpServer;
  let core: Core;
  let server: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    for (const f of demoFiles) {
      if (!fs.existsSync(f)) throw new Error(`Demo export missing: ${f} (npx tsx scripts/make-demo-store.ts writes it).`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-flow-'));
    const staticDir = await buildRenderer(path.join(dir, 'renderer'));
    smtp = await startSmtpServer();
    core = createCore({
      dbPath: path.join(dir, 'store.db'),
      now: () => NOW,
      smtp: { host: '127.0.0.1', port: smtp.port, security: 'none' },
      settings: {
        storeName: 'Juniper & Pine Outfitters',
        fromAddress: 'Juniper & Pine Outfitters <help@example.com>',
        timezone: 'America/New_York',
      },
    });
    server = await startWebServer(core, { host: '127.0.0.1', port: 0, staticDir });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    core?.close();
    await smtp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the exports, approves two drafts, sends them, and the SMTP server gets exactly those two', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`${m.text()} ${m.location().url}`);
    });

    // 1. Fresh database: the empty state points to Import.
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'No backorders' }).waitFor();
    await screenshot(page, 'flow-1-empty');
    await page.getByRole('link', { name: 'Import Shopify exports' }).click();

    // 2. Import the four exports; the hour-0 tick runs right after.
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    await page.getByLabel('Shopify CSV exports').setInputFiles(demoFiles);
    await page.getByRole('button', { name: 'Import 4 files' }).click();
    await page.getByRole('heading', { name: 'Import result' }).waitFor({ timeout: 30_000 });
    await page.getByText('Import finished.').waitFor({ timeout: 30_000 });
    await screenshot(page, 'flow-2-imported');
    for (const kind of ['Orders', 'Products', 'Inventory', 'Customers']) {
      expect(await page.getByRole('cell', { name: kind, exact: true }).count(), kind).toBe(1);
    }

    // 3. The backorders are listed.
    await page.getByRole('link', { name: 'Backorders' }).click();
    await page.getByRole('heading', { name: 'Backorders', level: 1 }).waitFor();
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const listed = await core.dispatch('backorders.list', {});
    expect(listed.ok).toBe(true);
    if (listed.ok) expect(await rows.count()).toBe(listed.value.length);
    await screenshot(page, 'flow-3-backorders');

    // 4. Review queue: approve one draft by its own button and one by selection.
    await page.getByRole('link', { name: /Review queue/ }).click();
    await page.getByRole('heading', { name: /^Drafts/, level: 2 }).waitFor();
    // Dozens of drafts make a very tall page: the viewport shows what the owner sees first.
    await screenshot(page, 'flow-4-review', { fullPage: false });
    const drafts = await listMessages(core, 'draft');
    const approvable = drafts.filter((m) => m.violations.length === 0);
    expect(approvable.length).toBeGreaterThanOrEqual(2);
    const [first, second] = approvable as [MessageRow, MessageRow];

    const firstCard = page.getByRole('article').filter({ has: page.getByRole('heading', { name: `${first.orderName} · ${first.stepLabel}` }) }).filter({ hasText: first.to });
    await firstCard.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('heading', { name: /^Approved \(1\)/ }).waitFor();

    const secondCard = page.getByRole('article').filter({ has: page.getByRole('heading', { name: `${second.orderName} · ${second.stepLabel}` }) }).filter({ hasText: second.to });
    await secondCard.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Approve selected (1)' }).click();
    await page.getByRole('heading', { name: /^Approved \(2\)/ }).waitFor();
    const approved = await listMessages(core, 'approved');
    expect(approved.map((m) => m.id).sort()).toEqual([first.id, second.id].sort());
    await secondCard.scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-5-approved', { fullPage: false });

    // 5. Send: a double click must start one batch only. A third click lands the instant the batch
    // reports "Finished" (a person clicking again right away): the button must already be disabled
    // with a fresh count by then, and no empty batch may replace the result.
    // A string script: the test's tsconfig has no DOM types.
    await page.evaluate(`(() => {
      const status = document.getElementById('send-progress');
      const observer = new MutationObserver(() => {
        if (!status.textContent.startsWith('Finished')) return;
        observer.disconnect();
        const button = document.querySelector('button[aria-describedby="send-progress"]');
        window.atFinish = { text: button.textContent, disabled: button.disabled };
        button.click();
      });
      observer.observe(status, { childList: true, characterData: true, subtree: true });
    })()`);
    await page.getByRole('button', { name: 'Send all approved (2)' }).dblclick();
    await page.getByText('Finished: 2 sent, 0 failed, 0 unknown.').waitFor({ timeout: 30_000 });
    // At that instant the count from before the batch (2) must not be on offer.
    expect(await page.evaluate('window.atFinish')).toEqual({
      text: 'Send all approved',
      disabled: true,
    });
    const sendButton = page.getByRole('button', { name: 'Send all approved (0)' });
    await sendButton.waitFor();
    expect(await sendButton.isDisabled()).toBe(true);
    await page.waitForTimeout(500); // time for a wrongly started empty batch to report
    expect(await page.locator('#send-progress').textContent()).toBe('Finished: 2 sent, 0 failed, 0 unknown.');
    await page.getByRole('heading', { name: /^Sent \(2\)/ }).waitFor();
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-6-sent', { fullPage: false });

    // 6. Exactly the two approved messages reached the SMTP server, to the right people, as drafted.
    const accepted = smtp.accepted();
    expect(accepted).toHaveLength(2);
    const got = accepted
      .map((m) => ({ to: addressOf(decodeHeader(headerOf(m.raw, 'To') ?? '')), subject: decodeHeader(headerOf(m.raw, 'Subject') ?? '') }))
      .sort((a, b) => a.to.localeCompare(b.to));
    const want = [first, second].map((m) => ({ to: addressOf(m.to), subject: m.subject })).sort((a, b) => a.to.localeCompare(b.to));
    expect(got).toEqual(want);
    expect((await listMessages(core, 'sent')).map((m) => m.id).sort()).toEqual([first.id, second.id].sort());

    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

async function listMessages(core: Core, status: MessageRow['status']): Promise<MessageRow[]> {
  const r = await core.dispatch('drafts.list', { status: [status] });
  if (!r.ok) throw new Error(`drafts.list: ${r.error.message}`);
  return r.value;
}
