/**
 * CLI commands for mail and Gmail: `mail parse FILE [--json]` and `gmail connect|sync|status|disconnect`.
 * The CLI keeps the Gmail refresh token in the encrypted secret file next to the database (key from
 * the OS keychain via secret-tool/security, a systemd credential, or BACKORDER_DESK_SECRET_KEY; see
 * src/main/shopify/secrets.ts).
 */
import type { Command } from 'commander';
import { parseMailFile, summarise } from '../mail/index';
import { call, dbOption, jsonOption, output, withCore } from './io';



/** Adds the `mail` and `gmail` command groups to `program`. */
export function registerMailCommands(program: Command): void {
  program
    .command('mail')
    .description('mail tools')
    .command('parse')
    .description('parse an .eml file or a Gmail API message resource (JSON): {from, to, subject, date, text, attachments: [names]}')
    .argument('<file>', '.eml file, or .json with a Gmail users.messages resource (format=full or raw)')
    .addOption(jsonOption())
    .action(async (file: string, o: { json?: boolean }) => {
      // Not mail (empty, binary, no headers) is an error naming the file, as for `replies import`.
      const parsed = await parseMailFile(file, { mailOnly: true });
      const out = parsed.map((p) => summarise(p.mail));
      const value = out.length === 1 ? out[0]! : out;
      output(o.json === true, value, () =>
        out.map((m) => `From: ${m.from}\nTo: ${m.to.join(', ')}\nSubject: ${m.subject}\nDate: ${m.date ?? '-'}\nAttachments: ${m.attachments.join(', ') || '-'}\n\n${m.text}`).join('\n\n-----\n\n'),
      );
    });

  const gmail = program.command('gmail').description('Gmail: connect, sync, status, disconnect');
  gmail
    .command('connect')
    .description('sign in with Google in the browser (loopback redirect on 127.0.0.1, PKCE)')
    .option('--client-id <id>', 'client ID of your Desktop OAuth client (else the one in Settings or built in)')
    .option('--client-secret-env <name>', 'environment variable holding the client secret', 'BACKORDER_DESK_GMAIL_CLIENT_SECRET')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { clientId?: string; clientSecretEnv: string; db?: string; json?: boolean }) => {
      const secret = process.env[o.clientSecretEnv];
      const r = await withCore(o.db, (core) =>
        call(core.dispatch('gmail.connect', { ...(o.clientId ? { clientId: o.clientId } : {}), ...(secret ? { clientSecret: secret } : {}) })),
      );
      output(o.json === true, r, () => `Gmail connected: ${r.email}`);
    });
  gmail
    .command('sync')
    .description('fetch supplier mail and customer replies now')
    .option('--full', 'full sync of the last N days (setting gmail.syncDays) instead of history')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { full?: boolean; db?: string; json?: boolean }) => {
      const r = await withCore(o.db, (core) => call(core.dispatch('gmail.syncNow', o.full ? { full: true } : {})));
      output(o.json === true, r, () => `${r.mode} sync: ${r.fetched} fetched, ${r.stored} new (${r.supplier} supplier, ${r.customerReplies} customer replies, ${r.ignored} ignored), ${r.units} quota units`);
    });
  gmail
    .command('status')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean }) => {
      const r = await withCore(o.db, (core) => call(core.dispatch('gmail.status', {})));
      output(o.json === true, r, () =>
        r.connected
          ? `Gmail: ${r.email ?? '?'}${r.needsReconnect ? ' (needs reconnect)' : ''}; last sync ${r.lastSyncAt ?? 'never'}; sent today ${r.sentLastDay}/${r.dailySendCap}${r.lastError ? `; last error: ${r.lastError}` : ''}`
          : 'Gmail: not connected',
      );
      if (r.needsReconnect) process.exitCode = 1;
    });
  gmail
    .command('disconnect')
    .description('revoke the access at Google and delete the saved sign-in')
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (o: { db?: string; json?: boolean }) => {
      const r = await withCore(o.db, (core) => call(core.dispatch('gmail.disconnect', {})));
      output(o.json === true, r, () => r.message);
      if (!r.revoked) process.exitCode = 1;
    });
}
