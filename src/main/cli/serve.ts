/**
 * `backorder-desk serve`: web mode — the core plus the React build over HTTP on 127.0.0.1 with a
 * random token in the URL. With `--demo`, a fresh demo database is filled from the bundled demo
 * store (resources/demo) and email goes to a mail catcher on 127.0.0.1 whose messages are written
 * to .demo/sent-mail/*.eml, so the whole loop can be tried without any account.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type CoreOptions } from '../app/core';
import { loadDemoStore } from '../demo/demo-store';
import { startMailCatcher } from '../demo/mail-catcher';
import { defaultDbPath } from '../paths';
import { startWebServer } from '../web/server';
import { call } from './io';

export interface ServeArgs {
  port?: number;
  demo?: boolean;
  db?: string;
}

/**
 * What web mode runs besides the core: it is the always-on box, so it syncs the connected Shopify
 * store and Gmail on their poll intervals (credentials in the encrypted file keyed from the OS
 * keychain, as the CLI uses) — except in the demo, whose made-up store must not touch real
 * accounts — and it watches the EDI folder, demo included: the folder is the owner's own choice on
 * this machine (the demo database starts with none), and the Suppliers screen promises web mode
 * watches it.
 */
export function webModeCoreOptions(demo: boolean): Pick<CoreOptions, 'shopify' | 'gmail' | 'ediWatch'> {
  return { ...(demo ? {} : { shopify: { autoSync: true }, gmail: { autoSync: true } }), ediWatch: true };
}

/** The repository (or app) root: two levels above src/main/cli or out/cli. */
export function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export async function serveCommand(o: ServeArgs): Promise<void> {
  const root = appRoot();
  const staticDir = path.join(root, 'out', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`The app's pages are not built yet (${staticDir}). Run "npm run build" first.`);
  }

  let dbPath = o.db ?? defaultDbPath();
  let catcher: Awaited<ReturnType<typeof startMailCatcher>> | undefined;
  if (o.demo) {
    const demoDir = path.join(root, '.demo');
    dbPath = o.db ?? path.join(demoDir, 'demo.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
    catcher = await startMailCatcher(path.join(demoDir, 'sent-mail'));
  }

  const core = createCore({
    dbPath,
    tickEveryMs: 60_000,
    ...webModeCoreOptions(o.demo === true),
    ...(catcher ? { smtp: { host: '127.0.0.1', port: catcher.port, security: 'none' as const } } : {}),
  });
  if (o.demo) {
    const summary = await loadDemoStore(core, path.join(root, 'resources', 'demo'), catcher!.port);
    process.stderr.write(
      `Demo store "${summary.storeName}" loaded: ${summary.backorders} backordered lines, ${summary.drafts} drafts waiting for review.\n` +
        `Sent demo mail is written to ${path.join(root, '.demo', 'sent-mail')} (nothing leaves this machine).\n`,
    );
  } else {
    await call(core.dispatch('scheduler.tick', {}));
  }

  const server = await startWebServer(core, { host: '127.0.0.1', port: o.port ?? 0, staticDir });
  process.stdout.write(`Backorder Desk is running at\n\n    ${server.url}\n\nOpen that address in your browser. Press Ctrl+C to stop.\n`);

  const stop = async (): Promise<void> => {
    await server.close();
    await catcher?.close();
    core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
