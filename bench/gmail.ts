/**
 * Gmail figures for `npm run bench`: MIME parsing rate (target ≥ 200 messages/s) over the shared
 * email corpus (or generated mail when it is absent), and a first sync of 5,000 supplier messages
 * from the fake Gmail server with the real googleapis client. The quota pacer runs on a simulated
 * clock, so the figure shows both the real processing time and the time the same requests take at
 * the pace the per-user quota allows (their ratio tells whether the quota or the app is the limit).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMailBytes } from '../src/main/mail/file';
import { openDatabase } from '../src/main/store/db';
import { googleAuth, createGmailClient } from '../src/main/gmail/client';
import { GmailApi } from '../src/main/gmail/api';
import { QuotaPacer } from '../src/main/gmail/pacer';
import { syncGmail } from '../src/main/gmail/sync';
import { startFakeGmail } from '../test/helpers/fake-gmail';

function corpusFiles(): Buffer[] {
  const dir = path.resolve(import.meta.dirname, '../../shared/corpus/email');
  const out: Buffer[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.md')) out.push(fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

function supplierMail(i: number): string {
  return [
    `From: Acme Sales <sales${i % 7}@acme.example>`,
    'To: shop@example.com',
    `Subject: =?utf-8?q?Liefertermin_PO-${4000 + i}_f=C3=BCr_Zelte?=`,
    `Date: ${new Date(Date.now() - i * 60_000).toUTCString()}`,
    `Message-ID: <q${i}@acme.example>`,
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=iso-8859-1',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `Gr=FC=DFe, PO ${4000 + i}: TENT-2P ships in week 24.`,
    '',
    'On Mon, 3 Jun 2024 Shop <shop@example.com> wrote:',
    '> Any update on PO?',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>Grüße, PO ${4000 + i}: TENT-2P ships in week 24.</p><blockquote>Any update?</blockquote>`,
    '--b--',
    '',
  ].join('\r\n');
}

export async function benchGmail(): Promise<void> {
  // Parsing rate.
  let inputs = corpusFiles();
  const source = inputs.length ? `${inputs.length} corpus files` : 'generated mail (corpus absent)';
  if (!inputs.length) inputs = Array.from({ length: 100 }, (_, i) => Buffer.from(supplierMail(i)));
  let messages = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2_000) {
    for (const b of inputs) messages += (await parseMailBytes(b)).length;
  }
  const parseS = (performance.now() - t0) / 1000;
  const typical = Array.from({ length: 200 }, (_, i) => Buffer.from(supplierMail(i)));
  let typicalN = 0;
  const t0b = performance.now();
  while (performance.now() - t0b < 2_000) for (const b of typical) typicalN += (await parseMailBytes(b)).length;
  const typicalS = (performance.now() - t0b) / 1000;
  console.log(
    `Mail parsing: ${(messages / parseS).toFixed(0)} messages/s over ${source} (MIME torture tests included); ` +
      `${(typicalN / typicalS).toFixed(0)} messages/s on typical supplier mail (multipart, QP, HTML, quoted reply) (target ≥ 200)`,
  );

  // First sync of 5,000 messages.
  const fake = await startFakeGmail();
  const n = 5_000;
  for (let i = 0; i < n; i++) fake.deliver(supplierMail(i));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-bench-gmail-'));
  const db = openDatabase(path.join(dir, 'app.db'));
  db.prepare("INSERT INTO suppliers (name, emails, domains, updated_at) VALUES ('Acme', '[]', '[\"acme.example\"]', ?)").run(new Date().toISOString());
  let virtualMs = 0;
  // Gmail per-user limit: 15,000 units/minute = 250/s; the pacer's default runs at 200/s with a 2,000-unit burst.
  const pacer = new QuotaPacer({ now: () => virtualMs, sleep: async (ms) => void (virtualMs += ms) });
  const auth = new googleAuth.OAuth2({ clientId: 'bench' });
  auth.setCredentials({ access_token: 'bench', expiry_date: Date.now() + 3_600_000 });
  const api = new GmailApi(createGmailClient({ auth, rootUrl: fake.rootUrl }), { pacer });
  const t1 = performance.now();
  const r = await syncGmail({ db, api, now: () => new Date().toISOString(), days: 30 });
  const realS = (performance.now() - t1) / 1000;
  const rss = process.memoryUsage().rss / 1e6;
  console.log(
    `Gmail first sync: ${r.stored} of ${n} messages stored (${r.supplier} supplier) in ${realS.toFixed(1)} s real ` +
      `(${(r.stored / realS).toFixed(0)} messages/s of processing); ${r.units} quota units, which the quota pacer spreads over ` +
      `${(virtualMs / 1000).toFixed(0)} s = ${(r.units / Math.max(1, virtualMs / 1000)).toFixed(0)} units/s (per-user limit 250/s); ` +
      `requests ${fake.requests.length}; RSS ${rss.toFixed(0)} MB`,
  );
  db.close();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
