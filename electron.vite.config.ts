/**
 * electron-vite build of the three Electron bundles (`npx electron-vite build`, no Electron binary
 * needed):
 *
 * - main    src/main/electron/index.ts → out/main/index.js (ESM, package.json "type": "module").
 *           Dependencies stay external (electron-vite's externalizeDeps); better-sqlite3 is named
 *           explicitly because it is a native addon that must be loaded from node_modules at run time.
 * - preload src/preload/index.ts → out/preload/index.cjs. CommonJS because sandboxed preload scripts
 *           cannot be ES modules, and with every dependency bundled because a sandboxed preload can
 *           only `require` electron and a few Node built-ins.
 * - renderer src/renderer/index.html → out/renderer/ (the same options as vite.renderer.config.ts,
 *           which web mode uses).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  main: {
    build: {
      // llm-host: the model host process (utilityProcess); orders-worker: the orders parse worker
      // (worker_threads); both built next to index.js, where their starters look for them.
      lib: {
        entry: {
          index: resolve(projectRoot, 'src/main/electron/index.ts'),
          'llm-host': resolve(projectRoot, 'src/main/llm/host-process.ts'),
          'orders-worker': resolve(projectRoot, 'src/main/import/shopify-csv/orders-worker.ts'),
        },
      },
      externalizeDeps: { include: ['better-sqlite3'] },
      rolldownOptions: {
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      lib: { entry: resolve(projectRoot, 'src/preload/index.ts') },
      externalizeDeps: false,
      rolldownOptions: {
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
  },
});
