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
export interface ModelView {
  /** none: no model; loading; ready; failed (see `reason`). Drafts come from the composer unless ready. */
  state: 'none' | 'loading' | 'ready' | 'failed';
  reason: string | null;
  model: {
    path: string;
    file: string;
    sha256: string;
    sizeBytes: number;
    threads: number;
    sequences: number;
    contextSize: number;
  } | null;
  recommended: RecommendedModel;
  download: ModelDownloadView;
  /** Folder in the app's data folder where models live. */
  modelsDir: string;
}

/** Progress of a batch of drafts written by the model (`drafts.regenerate`). */
export interface DraftsProgress {
  total: number;
  done: number;
  fromModel: number;
  fallback: number;
  skipped: number;
  cancelled: boolean;
}
