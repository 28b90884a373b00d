/**
 * Contract types of the local language model: its status for the Settings view, the download and
 * batch drafting progress. Shared by main, preload, renderer and web mode.
 */

/** The model the app recommends and can download. */
export interface RecommendedModel {
  name: string;
  file: string;
  url: string;
  sha256: string;
  /** Approximate size, bytes. */
  sizeBytes: number;
  /** True when the file is in the models folder. */
  installed: boolean;
}

/** A model download in progress or its outcome. */
export interface ModelDownloadView {
  state: 'idle' | 'downloading' | 'done' | 'failed' | 'cancelled';
  receivedBytes: number;
  totalBytes: number | null;
  /** Why it failed; null otherwise. */
  reason: string | null;
}

/** What the Settings view shows about the model. */
/** The loaded model, as the host reports it. */
export interface LoadedModel {
  path: string;
  /** File name without folders, e.g. "Llama-3.2-3B-Instruct-Q4_K_M.gguf". */
  file: string;
  /** SHA-256 of the file, lower-case hex. */
  sha256: string;
  sizeBytes: number;
  threads: number;
  /** Context sequences actually made. */
  sequences: number;
  /** Context size per sequence actually made, in tokens. */
  contextSize: number;
}

export interface ModelView {
  /** none: no model; loading; ready; failed (see `reason`). Drafts come from the composer unless ready. */
  state: 'none' | 'loading' | 'ready' | 'failed';
  reason: string | null;
  model: LoadedModel | null;
  recommended: RecommendedModel;
  download: ModelDownloadView;
  /** Folder in the app's data folder where models live. */
  modelsDir: string;
}

/** Progress of a batch of drafts written by the model (`drafts.regenerate`): `done` of `total` handled so far. */
export interface DraftsProgress {
  total: number;
  done: number;
  /** Drafts now written by the model. */
  fromModel: number;
  /** Drafts the composer wrote because the model failed or its drafts broke rules. */
  fallback: number;
  /** Drafts left alone: no longer a draft, edited meanwhile, or not a drafting step. */
  skipped: number;
  cancelled: boolean;
}
