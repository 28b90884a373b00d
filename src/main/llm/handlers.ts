/**
 * The contract commands of the local model (`model.*`, `drafts.regenerate`,
 * `drafts.cancelRegenerate`) and the background redraft after a scheduler tick, for the core.
 *
 * After a tick the composer's new drafts are in the outbox at once (the tick never waits for a
 * model); if a model is ready, a background batch then rewrites the untouched ones — and likewise
 * the template answers to customer replies after a reply import. One batch runs at a time. Reply
 * triage asks the loaded model as one signal (`replyTriage`).
 */
import path from 'node:path';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { CommandOutputs, EventName, EventPayloads } from '../../shared/contract';
import { AppError } from '../../shared/result';
import type { ReplyTriageOptions } from '../replies/ingest';
import type { Db } from '../store/db';
import { redraftMessages, untouchedComposerDrafts, type BatchProgress } from './batch';
import { forkHostPort } from './child-port';
import { createModelHost, type HostOptions } from './host';
import { createModelManager, type ModelManager } from './manager';
import type { ModelSpec } from './models';
import type { HostPort } from './protocol';
import { hostTriageModel } from './triage';

/** How the core runs the model; every field has a default. */
export interface LlmOptions {
  /** Models folder; default `<folder of the database>/models`. */
  modelsDir?: string;
  /** A model shipped with the app (resources/models). */
  bundledModel?: string;
  /** Starts a host process; default a Node child process (the desktop app passes a utilityProcess). */
  spawn?: () => HostPort;
  host?: Omit<HostOptions, 'spawn'>;
  recommended?: ModelSpec;
  /** Load the default model when the core starts. Default false (tests, CLI); the app turns it on. */
  autoLoad?: boolean;
}

type LlmCommands = 'model.status' | 'model.load' | 'model.download' | 'model.cancelDownload' | 'drafts.regenerate' | 'drafts.cancelRegenerate';

export interface LlmPart {
  handlers: { [C in LlmCommands]: (input: never) => CommandOutputs[C] | Promise<CommandOutputs[C]> };
  /**
   * Starts a background redraft of untouched template drafts (the composer's, and reply triage's
   * answers with the reply quoted) if a model is ready: after a scheduler tick or a reply import.
   */
  afterTick(): void;
  /** Reply triage's options: the loaded model as a signal (src/main/llm/triage.ts). */
  replyTriage: ReplyTriageOptions;
  /** Resolves when the running batch (if any) ends. */
  idle(): Promise<void>;
  manager: ModelManager;
  close(): Promise<void>;
}

const CHOICE_KEY = 'llm.modelPath';

/** Creates the model part of the core. */
export function llmPart(ctx: {
  db: Db;
  dbPath: string;
  flow: SequenceFlow;
  now: () => string;
  emit: <E extends EventName>(e: E, payload: EventPayloads[E]) => void;
  changed: (...views: EventPayloads['data.changed']['views']) => void;
  options?: LlmOptions;
}): LlmPart {
  const o = ctx.options ?? {};
  const dataDir = ctx.dbPath === ':memory:' ? process.cwd() : path.dirname(path.resolve(ctx.dbPath));
  const host = createModelHost({ ...(o.host ?? {}), spawn: o.spawn ?? (() => forkHostPort()) });
  const manager = createModelManager({
    host,
    modelsDir: o.modelsDir ?? path.join(dataDir, 'models'),
    ...(o.bundledModel ? { bundledModel: o.bundledModel } : {}),
    ...(o.recommended ? { recommended: o.recommended } : {}),
    store: {
      get: () => {
        const v = ctx.db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(CHOICE_KEY) as string | undefined;
        return v ? (JSON.parse(v) as string) : null;
      },
      set: (p) => {
        ctx.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(CHOICE_KEY, JSON.stringify(p));
      },
    },
  });
  manager.onChange((v) => ctx.emit('model.changed', v));

  let batch: { controller: AbortController; done: Promise<BatchProgress> } | null = null;

  function runBatch(ids: readonly number[]): Promise<BatchProgress> {
    const controller = new AbortController();
    const done = redraftMessages(ctx.db, host, ctx.flow, ids, {
      now: ctx.now,
      signal: controller.signal,
      onProgress: (p) => ctx.emit('drafts.progress', p),
    })
      // Closing the core mid-batch closes the database under the last drafts; nothing is lost
      // (unstored drafts stay the composer's), so that ends the batch quietly.
      .catch((): BatchProgress => ({ total: ids.length, done: 0, fromModel: 0, fallback: 0, skipped: 0, cancelled: true }))
      .finally(() => {
        batch = null;
        if (ctx.db.open) ctx.changed('drafts');
      });
    batch = { controller, done };
    return done;
  }

  if (o.autoLoad) void manager.load();

  return {
    manager,
    replyTriage: { model: hostTriageModel(host) },
    handlers: {
      'model.status': () => manager.view(),
      'model.load': (input: { path?: string }) => manager.load(input.path),
      'model.download': () => manager.startDownload(),
      'model.cancelDownload': () => manager.cancelDownload(),
      'drafts.regenerate': (input: { ids?: number[] }) => {
        if (batch) throw new AppError('CONFLICT', 'Drafts are already being written; wait for that batch or cancel it.');
        const s = host.status();
        if (s.state !== 'ready') throw new AppError('UNAVAILABLE', s.state === 'failed' ? `The model failed: ${s.reason}` : 'No model is ready. Load or download one in Settings.');
        return runBatch(input.ids ?? untouchedComposerDrafts(ctx.db));
      },
      'drafts.cancelRegenerate': () => {
        if (!batch) return { cancelled: false };
        batch.controller.abort();
        return { cancelled: true };
      },
    },
    afterTick() {
      if (batch || host.status().state !== 'ready') return;
      const ids = untouchedComposerDrafts(ctx.db);
      if (ids.length) void runBatch(ids);
    },
    idle: async () => {
      await batch?.done;
    },
    async close() {
      batch?.controller.abort();
      await batch?.done.catch(() => undefined);
      await manager.dispose();
    },
  };
}
