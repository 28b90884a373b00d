// Builds better-sqlite3 for Electron's ABI into .native/electron-<version>-<platform>-<arch>/,
// leaving node_modules/better-sqlite3 (Node's ABI, used by the CLI, web mode and the tests) alone.
// The Electron main process loads it through better-sqlite3's `nativeBinding` option.
//
// First it asks prebuild-install for the published Electron binary; if that is not available it
// compiles with node-gyp against Electron's headers. npm's `nodedir` setting is removed from the
// environment because it would silently make node-gyp build for Node instead (see STACK.md).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}

export function nativeTarget(version = electronVersion()) {
  return path.join(root, '.native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
}

function run(cmd, args, cwd, env) {
  console.error(`> ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { cwd, env, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
}

export function ensureElectronNative() {
  const version = electronVersion();
  const target = nativeTarget(version);
  if (fs.existsSync(target)) return target;
  const src = path.dirname(require.resolve('better-sqlite3/package.json'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bd-native-'));
  fs.cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl)$/i.test(k)) delete env[k];
  const bin = (name) => path.join(root, 'node_modules', '.bin', name + (process.platform === 'win32' ? '.cmd' : ''));
  const ok =
    run(bin('prebuild-install'), ['--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, `--platform=${process.platform}`], work, env) ||
    run(bin('node-gyp'), ['rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], work, env);
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!ok || !fs.existsSync(built)) {
    throw new Error('Could not build better-sqlite3 for Electron. Check the internet connection (it downloads Electron headers) and a C++ toolchain.');
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(built, target);
  fs.rmSync(work, { recursive: true, force: true });
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureElectronNative());
}
