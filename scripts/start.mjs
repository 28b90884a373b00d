// `npm start` / `npm run demo`: opens the desktop app. Where Electron cannot run (no Electron
// binary was installed — a build server, or a box without a display), it serves the same app in
// web mode on 127.0.0.1 instead and prints the address.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const demo = process.argv.includes('--demo');
const forceWeb = process.argv.includes('--web');
const bin = (name) => path.join(root, 'node_modules', '.bin', name + (process.platform === 'win32' ? '.cmd' : ''));

function electronBinary() {
  try {
    const p = require('electron'); // the package exports the binary's path
    return typeof p === 'string' && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function mustRun(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = forceWeb ? null : electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

if (electron && hasDisplay) {
  const { ensureElectronNative } = await import('./electron-native.mjs');
  ensureElectronNative();
  mustRun(bin('electron-vite'), ['build']);
  const child = spawn(electron, ['.', ...(demo ? ['--demo'] : [])], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error(
    electron
      ? 'No display found: starting Backorder Desk in web mode instead.'
      : 'The Electron binary is not installed here: starting Backorder Desk in web mode instead.',
  );
  mustRun(bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
  const args = ['src/main/cli/index.ts', 'serve', ...(demo ? ['--demo'] : []), ...process.argv.slice(2).filter((a) => a !== '--demo' && a !== '--web')];
  const child = spawn(bin('tsx'), args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
