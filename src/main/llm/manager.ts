/**
 * The model as the app manages it: which file is in use, loading it into the host, downloading the
 * recommended one, and the status the Settings view shows.
 *
 * Which model: the one the owner last loaded (remembered in the settings table under
 * `llm.modelPath`), else the recommended model if it is in the models folder, else the bundled
 * default (resources/models, shipped with the installer), else none. A file the owner picks
 * elsewhere is copied into the models folder first, so models live in the app's data folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ModelDownloadView, ModelView } from '../../shared/llm';
import { downloadModel } from './download';
import type { ModelHost } from './host';
import { RECOMMENDED_MODEL, type ModelSpec } from './models';

/** Where the remembered model path is kept. */
export interface ModelChoiceStore {
  get(): string | null;
  set(path: string): void;
}

export interface ModelManagerOptions {
  host: ModelHost;
  /** The models folder in the app's data folder. */
  modelsDir: string;
  store: ModelChoiceStore;
  /** A .gguf shipped with the app (electron-builder extraResources → resources/models). */
  bundledModel?: string;
  /** The downloadable model; tests point it at a local server. */
  recommended?: ModelSpec;
}

export interface ModelManager {
  view(): ModelView;
  onChange(listener: (v: ModelView) => void): () => void;
  /** The file that loads by default, or null. */
  defaultModelPath(): string | null;
  /** Loads `file` (or the default); resolves with the new view, never rejects. */
  load(file?: string): Promise<ModelView>;
  /** Starts downloading the recommended model (no-op while one runs); loads it when verified. */
  startDownload(): ModelView;
  cancelDownload(): ModelView;
  /** Resolves when the running download (if any) has ended. */
  downloadDone(): Promise<void>;
  readonly host: ModelHost;
  dispose(): Promise<void>;
}

/** Creates the manager; nothing loads until `load` is called. */
export function createModelManager(o: ModelManagerOptions): ModelManager {
  const spec = o.recommended ?? RECOMMENDED_MODEL;
  const listeners = new Set<(v: ModelView) => void>();
  let download: ModelDownloadView = { state: 'idle', receivedBytes: 0, totalBytes: null, reason: null };
  let controller: AbortController | null = null;
  let running: Promise<void> = Promise.resolve();
  let lastEmit = 0;

  const recommendedPath = (): string => path.join(o.modelsDir, spec.file);
  const view = (): ModelView => {
    const s = o.host.status();
    return {
      state: s.state,
      reason: s.reason,
      model: s.model,
      recommended: { ...spec, installed: fs.existsSync(recommendedPath()) },
      download: { ...download },
      modelsDir: o.modelsDir,
    };
  };
  const emit = (): void => {
    lastEmit = Date.now();
    const v = view();
    for (const l of listeners) l(v);
  };
  o.host.onStatus(emit);

  const defaultModelPath = (): string | null => {
    const chosen = o.store.get();
    for (const p of [chosen, recommendedPath(), o.bundledModel]) if (p && fs.existsSync(p)) return p;
    return null;
  };

  async function intoModelsDir(file: string): Promise<string> {
    const abs = path.resolve(file);
    const bundled = o.bundledModel ? path.resolve(o.bundledModel) : null;
    if (path.dirname(abs) === path.resolve(o.modelsDir) || abs === bundled) return abs;
    const target = path.join(o.modelsDir, path.basename(abs));
    const src = fs.statSync(abs);
    if (!fs.existsSync(target) || fs.statSync(target).size !== src.size) {
      fs.mkdirSync(o.modelsDir, { recursive: true });
      await fs.promises.copyFile(abs, `${target}.copy`);
      fs.renameSync(`${target}.copy`, target);
    }
    return target;
  }

  const manager: ModelManager = {
    host: o.host,
    view,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    defaultModelPath,
    async load(file) {
      const wanted = file ?? defaultModelPath();
      if (!wanted) return view();
      let target: string;
      try {
        if (!fs.existsSync(wanted)) throw new Error(`${wanted} does not exist`);
        target = await intoModelsDir(wanted);
      } catch (err) {
        await o.host.dispose();
        emit();
        const v = view();
        return { ...v, state: 'failed', reason: err instanceof Error ? err.message : String(err) };
      }
      const s = await o.host.load(target);
      if (s.state === 'ready') o.store.set(target);
      return view();
    },
    startDownload() {
      if (download.state === 'downloading') return view();
      controller = new AbortController();
      const signal = controller.signal;
      download = { state: 'downloading', receivedBytes: 0, totalBytes: spec.sizeBytes, reason: null };
      running = (async () => {
        try {
          await downloadModel({
            url: spec.url,
            dest: recommendedPath(),
            sha256: spec.sha256,
            signal,
            onProgress: (p) => {
              download = { ...download, receivedBytes: p.receivedBytes, totalBytes: p.totalBytes ?? download.totalBytes };
              // Progress events at most five times a second: a 2 GB download has thousands of chunks.
              if (Date.now() - lastEmit >= 200) emit();
            },
          });
          download = { ...download, state: 'done' };
          emit();
          await manager.load(recommendedPath());
        } catch (err) {
          download = signal.aborted
            ? { ...download, state: 'cancelled', reason: null }
            : { ...download, state: 'failed', reason: err instanceof Error ? err.message : String(err) };
        } finally {
          controller = null;
          emit();
        }
      })();
      emit();
      return view();
    },
    cancelDownload() {
      controller?.abort();
      return view();
    },
    downloadDone: () => running,
    async dispose() {
      controller?.abort();
      await running;
      await o.host.dispose();
    },
  };
  return manager;
}
