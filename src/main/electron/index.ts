/**
 * Electron main process: a thin shell over the core (window, tray, notifications, keychain,
 * power events). It follows Electron's security checklist: context isolation and the sandbox on,
 * no Node in the renderer, a strict Content-Security-Policy, IPC answered only for our own page,
 * navigation and new windows refused, every permission request denied, no remote content.
 */
import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, ipcMain, powerMonitor, session, shell, type IpcMainInvokeEvent } from 'electron';
import { commandNames, eventNames } from '../../shared/contract';
import { commandChannel, eventChannel } from '../../shared/bridge';
import { createCore, type Core } from '../app/core';
import { loadDemoStore } from '../demo/demo-store';
import { startMailCatcher, type MailCatcher } from '../demo/mail-catcher';
import { DB_FILE } from '../paths';
import { keychainSecrets, keychainSecretStore } from './keychain';
import { utilityHostPort } from './llm-host';
import { createTray } from './tray';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const demo = process.argv.includes('--demo');
const rendererUrl = process.env.ELECTRON_RENDERER_URL; // set by electron-vite dev only
const rendererFile = path.join(import.meta.dirname, '../renderer/index.html');

/** The better-sqlite3 build for this Electron, made by scripts/electron-native.mjs (dev checkouts). */
function nativeBinding(): string | undefined {
  if (app.isPackaged) return undefined; // electron-builder rebuilt node_modules for Electron's ABI
  const file = path.join(app.getAppPath(), '.native', `electron-${process.versions.electron}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  return fs.existsSync(file) ? file : undefined;
}

/** True when an IPC call comes from our own page in the main frame, not from anything else. */
function trustedSender(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? '';
  if (e.senderFrame?.parent) return false;
  if (rendererUrl) return url.startsWith(rendererUrl);
  return url.startsWith('file://') && decodeURIComponent(new URL(url).pathname).endsWith(rendererFile.split(path.sep).join('/'));
}

let win: BrowserWindow | null = null;

/**
 * Opens Google's consent page in the system browser. Only https addresses are handed to the OS, so a
 * misconfigured endpoint can never make the app launch a local program or file.
 * @throws Error when the address is not https.
 */
async function openConsentPage(url: string): Promise<void> {
  if (new URL(url).protocol !== 'https:') throw new Error(`Refused to open a sign-in page that is not https: ${url}`);
  await shell.openExternal(url);
}

function showWindow(): void {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return;
  }
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Backorder Desk',
    show: false,
    webPreferences: {
      preload: path.join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links in the app (status pages, tracking) open in the system browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  if (rendererUrl) void win.loadURL(rendererUrl);
  else void win.loadFile(rendererFile);
  win.on('closed', () => {
    win = null;
  });
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });

  const dataDir = app.getPath('userData');
  let catcher: MailCatcher | undefined;
  let dbPath = path.join(dataDir, DB_FILE);
  if (demo) {
    dbPath = path.join(dataDir, 'demo', 'demo.db');
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dbPath + suffix, { force: true });
    catcher = await startMailCatcher(path.join(dataDir, 'demo', 'sent-mail'));
  }
  const binding = nativeBinding();
  const core: Core = createCore({
    dbPath,
    ...(binding ? { nativeBinding: binding } : {}),
    secrets: keychainSecrets(path.join(dataDir, 'secrets.json')),
    // Shopify credentials in the OS keychain; sync on the poll interval (catches up after sleep).
    shopify: { secrets: keychainSecretStore(path.join(dataDir, 'shopify-secrets.json')), autoSync: !demo },
    // Gmail: the refresh token in the OS keychain (refused, not stored in plain text, on Linux without a
    // secret service); the consent page in the system browser (RFC 8252: never an embedded view);
    // the mailbox synced on its poll interval. Its own file: the command line's encrypted store in the
    // same data folder is gmail-secrets.json, in another format.
    gmail: { secrets: keychainSecretStore(path.join(dataDir, 'gmail-keychain.json')), openBrowser: openConsentPage, autoSync: !demo },
    // Suppliers' X12 files dropped into the folder of setting ediFolder become quotes.
    // The demo watches too: the folder is the owner's own choice (the demo database starts with none).
    ediWatch: true,
    tickEveryMs: 60_000,
    // The model runs in a utilityProcess; a model shipped in resources/models is the default.
    llm: { spawn: utilityHostPort, autoLoad: true, bundledModel: path.join(app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources'), 'models', 'default.gguf') },
    version: app.getVersion(),
    ...(catcher ? { smtp: { host: '127.0.0.1', port: catcher.port, security: 'none' as const } } : {}),
  });
  if (demo && catcher) await loadDemoStore(core, path.join(app.getAppPath(), 'resources', 'demo'), catcher.port);

  for (const name of commandNames) {
    ipcMain.handle(commandChannel(name), (e, input: unknown) => {
      if (!trustedSender(e)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Refused: unknown sender.' } };
      return core.dispatch(name, input);
    });
  }
  for (const name of eventNames) {
    core.on(name, (payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(eventChannel(name), payload);
    });
  }

  const tray = createTray(core, {
    open: (taskId) => {
      showWindow();
      // A notification opens its task (or the Tasks view): the renderer follows the hash route.
      if (taskId !== undefined) void win?.webContents.executeJavaScript(`location.hash = ${JSON.stringify(taskId === null ? '#/tasks' : `#/tasks/${taskId}`)}`);
    },
    quit: () => app.quit(),
  });
  // A laptop that slept catches up at once: Shopify and Gmail sync if their interval passed, and the
  // engine sends only the newest relevant step.
  powerMonitor.on('resume', () => {
    core.wake();
    void core.dispatch('scheduler.tick', {});
  });
  void core.dispatch('scheduler.tick', {}).then(() => tray.refresh());

  app.on('before-quit', () => {
    tray.destroy();
    void catcher?.close();
    core.close();
  });
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });
  app.on('window-all-closed', () => {
    // The tray keeps the scheduler running; quitting is explicit (tray menu), except on macOS convention.
  });
  app.on('activate', () => showWindow());
  void app.whenReady().then(start).catch((err: unknown) => {
    console.error(err);
    app.exit(1);
  });
}
