/**
 * The renderer in Debian's Chromium against web mode fed by an in-memory contract double
 * (helpers/fake-core.ts): every view and the message states the real core rarely reaches in a test
 * (failed, unknown, content-rule violations), the send button's double-click guard, and the
 * web-mode token handling. Screenshots land in test-results/screenshots/ui-*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../src/main/web/server';
import { chromiumAvailability, launchChromium } from './helpers/browser';
import { createFakeCore, type FakeCore } from './helpers/fake-core';
import { buildRenderer } from './helpers/renderer-build';
import { screenshot } from './helpers/screenshots';

const chromium = chromiumAvailability();

describe.skipIf(!chromium.ok)('the UI against a contract double', () => {
  let dir: string;
  let staticDir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-ui-'));
    staticDir = await buildRenderer(path.join(dir, 'renderer'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh fake core, server and page; the page has opened the token URL. */
  async function open(): Promise<{ core: FakeCore; server: WebServer; page: Page; pageErrors: string[]; done: () => Promise<void> }> {
    const core = createFakeCore();
    const server = await startWebServer(core, { host: '127.0.0.1', port: 0, staticDir });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(`${m.text()} ${m.location().url}`);
    });
    await page.goto(server.url);
    return {
      core,
      server,
      page,
      pageErrors,
      done: async () => {
        await context.close();
        await server.close();
      },
    };
  }

  it('takes the token out of the address bar, shows the store and the backorders', async () => {
    const { page, server, pageErrors, done } = await open();
    try {
      await expect.poll(() => page.url()).toBe(`http://127.0.0.1:${server.port}/`);
      await page.getByRole('heading', { name: 'Backorders', level: 1 }).waitFor();
      await page.getByRole('cell', { name: '#3302' }).waitFor();
      expect(await page.getByText('2 of 3').count()).toBe(1);
      expect(await page.locator('.chip-vip').count()).toBeGreaterThan(0);
      expect(await page.getByText('Paused').count()).toBeGreaterThan(0);
      expect(await page.title()).toBe('Backorder Desk (2 tasks)');
      await expect.poll(() => page.getByRole('link', { name: /Review queue/ }).textContent()).toContain('3');
      await screenshot(page, 'ui-backorders');
      // At 800 px the page itself must not scroll sideways: the table scrolls inside its own box.
      await page.setViewportSize({ width: 800, height: 900 });
      const widths = async (): Promise<unknown> =>
        page.evaluate(`(() => { const w = document.querySelector('.table-wrap'); return { page: document.documentElement.scrollWidth, wrapFits: w.getBoundingClientRect().right <= 800, wrapScrolls: w.scrollWidth > w.clientWidth }; })()`);
      expect(await widths()).toEqual({ page: 800, wrapFits: true, wrapScrolls: true });
      await screenshot(page, 'ui-backorders-800', { fullPage: false });
      await page.setViewportSize({ width: 1280, height: 900 });
      // The token lives on in sessionStorage, so a reload keeps working.
      await page.reload();
      await page.getByRole('cell', { name: '#3302' }).waitFor();
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('shows drafts, violations, failed and unknown messages, and sends once on a double click', async () => {
    const { page, core, pageErrors, done } = await open();
    try {
      await page.getByRole('link', { name: /Review queue/ }).click();
      await page.getByRole('heading', { name: /Drafts/, level: 2 }).waitFor();
      await page.getByText('Avoid “we apologize for the inconvenience”.').waitFor();
      // Rule ids appear as labels, in the list and in the card's verdict.
      const theoCard = page.getByRole('article').filter({ hasText: 'theo.l@example.net' });
      expect(await theoCard.locator('.violation-rule').allTextContents()).toEqual(['Banned phrase', 'Next update']);
      expect(await theoCard.locator('.validator-state').textContent()).toBe('Breaks 2 content rules: Banned phrase, Next update');
      await page.getByText('We can’t tell whether this message reached the customer.').waitFor();
      await page.getByText('550 5.1.1 <old@example.com>: mailbox unavailable').waitFor();
      await screenshot(page, 'ui-review-queue');

      // The draft breaking a rule cannot be approved as it is.
      const theo = page.getByRole('article').filter({ hasText: 'theo.l@example.net' });
      expect(await theo.getByRole('button', { name: 'Approve' }).isDisabled()).toBe(true);
      // Editing it away and approving saves first, then approves.
      await theo.getByLabel('Subject').fill('Your tent is on its way soon');
      await theo.getByRole('button', { name: 'Save and approve' }).click();
      await page.getByRole('heading', { name: /Approved \(2\)/ }).waitFor();

      // Select all remaining drafts and approve them together.
      await page.getByLabel('Select all').check();
      await page.getByRole('button', { name: 'Approve selected (2)' }).click();
      await page.getByRole('heading', { name: /Approved \(4\)/ }).waitFor();

      // Unknown → "Not sent, send again" puts it back with the approved ones.
      await page.getByRole('button', { name: 'Not sent, send again' }).click();
      await page.getByRole('heading', { name: /Approved \(5\)/ }).waitFor();

      const send = page.getByRole('button', { name: 'Send all approved (5)' });
      await send.dblclick();
      await page.getByText(/Sending \d of 5/).waitFor();
      await screenshot(page, 'ui-review-sending');
      await page.getByText('Finished: 5 sent, 0 failed, 0 unknown.').waitFor({ timeout: 10_000 });
      expect(core.calls.filter((c) => c === 'outbox.send')).toHaveLength(1);
      await page.getByRole('heading', { name: /Sent \(6\)/ }).waitFor();
      await screenshot(page, 'ui-review-sent');
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('draft cards are compact; details open and close from the keyboard; FTC consent shows in the list', async () => {
    const { page, pageErrors, done } = await open();
    try {
      await page.getByRole('cell', { name: /#3303/ }).getByText('Awaiting consent').waitFor();
      await page.getByRole('link', { name: /Review queue/ }).click();
      await page.getByRole('heading', { name: /Drafts/, level: 2 }).waitFor();
      const maya = page.getByRole('article').filter({ hasText: 'maya.okafor@example.com' });
      // Compact: order and step, recipient, the first line after the greeting, the validator's verdict.
      const firstLine = maya.locator('.draft-first-line');
      expect(await firstLine.textContent()).toBe('The Enamel Camp Mug - Forest in your order #3301 is on backorder. We expect it between Dec 8 and Dec 12.');
      expect(await maya.locator('.validator-state').textContent()).toBe('Follows the content rules');
      expect(await maya.getByLabel('Subject').isVisible()).toBe(false);
      // A draft that breaks a rule starts open.
      expect(await page.getByRole('article').filter({ hasText: 'theo.l@example.net' }).getByLabel('Subject').isVisible()).toBe(true);

      const toggle = maya.getByRole('button', { name: 'Show and edit' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.focus();
      await page.keyboard.press('Enter');
      await maya.getByLabel('Subject').waitFor({ state: 'visible' });
      const hide = maya.getByRole('button', { name: 'Hide details' });
      expect(await hide.getAttribute('aria-expanded')).toBe('true');
      await maya.getByLabel('Message').fill('Hi Maya,\n\nAn edited first line for order #3301.');
      await screenshot(page, 'ui-review-card-open', { fullPage: false });
      await hide.focus();
      await page.keyboard.press(' ');
      await maya.getByLabel('Subject').waitFor({ state: 'hidden' });
      // Collapsing keeps the edit: the summary shows it, unsaved.
      expect(await firstLine.textContent()).toBe('An edited first line for order #3301.');
      // The edit has not been checked yet (it breaks the rules: no item, no date): no "follows the rules".
      expect(await maya.locator('.validator-state').textContent()).toBe('Unsaved changes — checked against the content rules when saved');
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('lists tasks and resolves one with a note', async () => {
    const { page, pageErrors, done } = await open();
    try {
      await page.getByRole('link', { name: /Tasks/ }).click();
      await page.getByRole('heading', { name: 'ETA beyond the limit · #3303' }).waitFor();
      await page.getByRole('heading', { name: 'Partial shipment possible · #3302' }).waitFor();
      expect(await page.getByRole('option').allTextContents()).toContain('FTC: no consent by the deadline');
      expect(await page.getByRole('option').allTextContents()).toContain('VIP still waiting at day 14');
      // The details show dates in the store's time zone, not ISO instants, and name each inbound
      // message's sender, not "Customer" for whoever wrote.
      const first = page.getByRole('article').filter({ hasText: '#3303' });
      await first.getByText('Full context').click();
      await first.getByText('Messages (3)').click();
      await first.getByText('Us · Nov 30, 2026, 2:29 AM').waitFor();
      expect(await first.textContent()).not.toContain('2026-11-30T07:29:59.240Z');
      await screenshot(page, 'ui-tasks');
      await first.getByText('From maya@example.com ·').waitFor();
      await first.getByText('From mallory@evil.example — not the order’s email ·').waitFor();
      expect(await first.getByText(/^Customer ·/).count()).toBe(0);
      const card = page.getByRole('article').filter({ hasText: '#3302' });
      await card.getByLabel('Note (optional)').fill('Shipped one tent today.');
      await card.getByRole('button', { name: 'Resolve' }).click();
      await expect.poll(() => page.getByRole('article').count()).toBe(1);
      await expect.poll(() => page.title()).toBe('Backorder Desk (1 task)');
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('imports files and shows the refused rows with line and column', async () => {
    const { page, pageErrors, done } = await open();
    try {
      await page.getByRole('link', { name: 'Import' }).click();
      await page.getByLabel('Shopify CSV exports').setInputFiles([
        { name: 'orders_export.csv', mimeType: 'text/csv', buffer: Buffer.from('Name,Email\n#1,a@example.com\n#2,b@example.com\n') },
      ]);
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByRole('heading', { name: 'Import result' }).waitFor();
      await page.getByText('Not a whole number: "two".').waitFor();
      await page.getByRole('link', { name: 'Review the new drafts' }).waitFor();
      // Mail files (a shop not on Gmail): a supplier's .eml is reported with its quotes.
      await page.getByLabel('Mail files (.eml)').setInputFiles([
        { name: 'kiln.eml', mimeType: 'message/rfc822', buffer: Buffer.from('From: orders@kiln.example\r\nSubject: PO 5512\r\n\r\nMUG-BLK ships on Nov 16.\r\n') },
      ]);
      await page.getByRole('button', { name: 'Add mail file' }).click();
      await page.getByText('supplier mail from Kiln Works: 1 quote, 0 need a person').waitFor();
      await screenshot(page, 'ui-import');
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('edits settings, with the threshold in dollars stored in cents', async () => {
    const { page, core, pageErrors, done } = await open();
    try {
      await page.getByRole('link', { name: 'Settings' }).click();
      const threshold = page.getByLabel('High-value order threshold ($)');
      await expect.poll(() => threshold.inputValue()).toBe('500.00');
      await screenshot(page, 'ui-settings');
      // Gmail / Model / Shopify sections look like the rest: each label on its own line above its
      // input (not "…(instead of SMTP)Daily send cap" on one line), buttons styled like .button.
      const capLabel = await page.getByText('Daily send cap', { exact: true }).boundingBox();
      const capInput = await page.getByLabel('Daily send cap').boundingBox();
      const gmailCheck = await page.getByText('Send customer email through Gmail').boundingBox();
      expect(capLabel && capInput && gmailCheck).toBeTruthy();
      if (capLabel && capInput && gmailCheck) {
        expect(capLabel.y + capLabel.height).toBeLessThanOrEqual(capInput.y);
        expect(gmailCheck.y + gmailCheck.height).toBeLessThanOrEqual(capLabel.y);
      }
      await page.getByRole('button', { name: 'Connect Gmail' }).waitFor();
      // String expressions: the test's tsconfig has no DOM types.
      const style = (selector: string, prop: string): Promise<unknown> =>
        page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)}))[${JSON.stringify(prop)}]`);
      expect(await style('.gmail-settings button[type="submit"]', 'borderRadius')).toBe('8px');
      for (const section of ['.model-settings', '.gmail-settings', '.shopify-settings']) {
        expect(await style(section, 'backgroundColor'), section).toBe('rgb(255, 255, 255)');
      }
      await threshold.fill('750.50');
      await page.getByLabel('Offers drafts may make').fill('expedited shipping\nfree returns');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      const stored = await core.dispatch('settings.get', {});
      expect(stored.ok && stored.value.highValueThresholdMinor).toBe(75_050);
      expect(stored.ok && stored.value.allowedOffers).toEqual(['expedited shipping', 'free returns']);
      // Two bad fields: both are marked at once, each with a plain sentence next to it (no zod text).
      await threshold.fill('lots');
      const storeName = page.getByLabel('Store name');
      await storeName.fill('x'.repeat(201)); // an empty name is allowed (it holds drafts back); too long is not
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('alert').filter({ hasText: 'Not saved: 2 fields need a change' }).waitFor();
      expect(await threshold.getAttribute('aria-invalid')).toBe('true');
      expect(await storeName.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('ETA limit (days)').getAttribute('aria-invalid')).toBeNull();
      // The keyboard focus moved from Save to the first marked field, in the form's order.
      await expect
        .poll(() => page.evaluate(`document.activeElement === document.querySelector('form.settings [aria-invalid="true"]')`))
        .toBe(true);
      expect(await page.evaluate('document.activeElement.tagName')).toBe('INPUT');
      // The sentence is tied to its field (aria-describedby), so a screen reader reads it there.
      const thresholdNote = await threshold.getAttribute('aria-describedby');
      expect(thresholdNote).toBeTruthy();
      const noteTexts = await Promise.all((thresholdNote ?? '').split(' ').map((i) => page.locator(`[id="${i}"]`).textContent()));
      expect(noteTexts).toContain('High-value threshold must be an amount in dollars, like 500 or 499.99.');
      await page.getByText('Enter the store name on one line, at most 200 characters.').waitFor();
      expect(await page.locator('form.settings').textContent()).not.toMatch(/Too small|expected|storeName/);
      await screenshot(page, 'ui-settings-errors', { fullPage: false });
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('imports a supplier sheet with its columns and lists the lines it could not read; sets the EDI folder', async () => {
    const { page, core, pageErrors, done } = await open();
    try {
      await page.getByRole('link', { name: 'Suppliers' }).click();
      await page.getByLabel('SKU column').fill('Item');
      await page.getByLabel('Date column').fill('ETA');
      await page.getByLabel('Import a CSV sheet').setInputFiles([
        { name: 'kiln.csv', mimeType: 'text/csv', buffer: Buffer.from('Item,ETA\nMUG-BLK,2026-12-01\nMUG-RED,soon\n') },
      ]);
      await page.getByText('kiln.csv: 2 lines, 1 new quotes, 0 unchanged, 1 not read:').waitFor();
      await page.getByText('line 3, column “ETA”: "soon" is not a date').waitFor();
      await page.getByRole('textbox', { name: 'Folder to watch' }).fill('/srv/edi/inbox');
      await page.getByRole('button', { name: 'Save folder' }).click();
      await expect.poll(async () => {
        const s = await core.dispatch('settings.get', {});
        return s.ok ? s.value.ediFolder : null;
      }).toBe('/srv/edi/inbox');
      await screenshot(page, 'ui-suppliers-sheets');
      // A blank transit and a word for the lead time: both marked, in plain words, nothing saved.
      const transit = page.getByLabel('Transit (days)');
      const lead = page.getByLabel('Lead time (days)');
      await transit.fill('');
      await lead.fill('two');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Transit must be a whole number of days from 0 to 365.').waitFor();
      await page.getByText('Lead time must be a whole number of days from 0 to 730').waitFor();
      expect(await transit.getAttribute('aria-invalid')).toBe('true');
      expect(await lead.getAttribute('aria-invalid')).toBe('true');
      // Focus on the first of them (the lead time comes first in the form).
      await expect.poll(async () => (await lead.getAttribute('id')) === (await page.evaluate('document.activeElement.id'))).toBe(true);
      expect(core.calls).not.toContain('suppliers.update');
      expect(await page.locator('main').textContent()).not.toMatch(/transitDays|Invalid input/);
      expect(pageErrors).toEqual([]);
    } finally {
      await done();
    }
  });

  it('explains the access link when the page has no token or a wrong one', async () => {
    const { server, done } = await open();
    const other = await browser.newContext();
    try {
      const bare = await other.newPage();
      await bare.goto(`http://127.0.0.1:${server.port}/`);
      await bare.getByRole('heading', { name: 'Open Backorder Desk with its access link' }).waitFor();
      await screenshot(bare, 'ui-no-token');
      const wrong = await other.newPage();
      await wrong.goto(`http://127.0.0.1:${server.port}/?token=${'0'.repeat(64)}`);
      await wrong.getByRole('heading', { name: 'Open Backorder Desk with its access link' }).waitFor();
      expect(wrong.url()).toBe(`http://127.0.0.1:${server.port}/`);
    } finally {
      await other.close();
      await done();
    }
  });
});
