/**
 * Builds the renderer with vite's JS API from vite.renderer.config.ts into a folder of the test's
 * own, so browser tests never depend on (or overwrite) a developer's out/renderer.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds into `outDir` and returns it; rejects with vite's error when the build fails. */
export async function buildRenderer(outDir: string): Promise<string> {
  await build({
    configFile: path.join(projectRoot, 'vite.renderer.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
