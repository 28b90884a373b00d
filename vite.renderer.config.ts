/**
 * Vite config of the renderer alone: the React build that web mode serves (src/main/web/server.ts)
 * and that the browser tests drive. electron.vite.config.ts reuses `rendererConfig` so the Electron
 * window and web mode load the very same build.
 *
 *   npx vite build --config vite.renderer.config.ts   → out/renderer/index.html + out/renderer/assets/
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

/** Folder holding the renderer's index.html. */
export const rendererRoot = resolve(projectRoot, 'src/renderer');

/** Default output folder; tests pass their own `build.outDir`. */
export const rendererOutDir = resolve(projectRoot, 'out/renderer');

/**
 * Options shared by both builds. `base: './'` because Electron loads the page from a file:// URL,
 * where absolute asset paths would point at the file system root.
 */
export const rendererConfig: UserConfig = {
  root: rendererRoot,
  base: './',
  plugins: [react()],
};

export default defineConfig({
  ...rendererConfig,
  // Web mode has no .env files to read; keeping envDir inside the renderer avoids picking up any.
  envDir: rendererRoot,
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
    reportCompressedSize: false,
  },
});
