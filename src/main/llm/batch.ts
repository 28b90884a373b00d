/**
 * Batch drafting in the background: (re)writes stored drafts with the model — sequence steps and
 * answers to customer replies (requests.ts) — reporting progress
 * (N of M) and stopping early on cancel. Runs as many drafts at once as the host has context
 * sequences, so they share llama.cpp batches.
 *
 * A stored draft is replaced only if it is still a draft and unchanged since it was read (same
 * `updated_at`, subject and body — the text too, because an edit within the same clock tick keeps
 * the timestamp), so a person's edit made meanwhile wins. Each replaced row records its producer
 * (`produced_by`, `model_sha256`). Cancel lets the drafts already generating finish and store;
 * nothing new starts.
 */
import type { UntrustedText } from '../../core/llm/untrusted';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Channel } from '../../shared/domain';
import type { Db } from '../store/db';
import type { DraftsProgress } from '../../shared/llm';
import { draftMessage } from './drafting';
import type { ModelHost } from './host';
import { REPLY_ANSWER_PRODUCER, REPLY_ANSWER_STEP, storedDraftRequest } from './requests';

/** Progress of a batch (the contract's `drafts.progress` payload). */
export type BatchProgress = DraftsProgress;

export interface BatchOptions {
  onProgress?: (p: BatchProgress) => void;
  signal?: AbortSignal;
  /** Drafts in flight at once; default: the host's context sequences. */
  concurrency?: number;
  now: () => string;
  /**
   * Further inbound texts for a message, added to those its request carries (a reply answer carries
   * the reply it answers, requests.ts); none by default.
   */
  untrustedFor?: (messageId: number) => UntrustedText[];
}

interface Row {
  id: number;
  stepId: string;
  channel: Channel;
  facts: string;
  status: string;
  subject: string;
  body: string;
  updatedAt: string;
  idempotencyKey: string;
}

/**
 * Ids of drafts nobody has touched that were written before any model was asked — the composer's
 * step drafts and reply triage's answers to customer replies: what the model rewrites in the
 * background after a scheduler tick or a reply import.
 */
export function untouchedComposerDrafts(db: Db): number[] {
  return db
    .prepare(
      `SELECT id FROM messages WHERE status = 'draft' AND updated_at = created_at
          AND (produced_by = 'composer' OR (produced_by = '${REPLY_ANSWER_PRODUCER}' AND step_id = '${REPLY_ANSWER_STEP}'))
        ORDER BY id`,
    )
    .pluck()
    .all() as number[];
}

/** Redrafts the messages `ids` with `host` (see module doc). Resolves with the final progress. */
export async function redraftMessages(db: Db, host: ModelHost, flow: SequenceFlow, ids: readonly number[], o: BatchOptions): Promise<BatchProgress> {
  const select = db.prepare(
    'SELECT id, step_id AS stepId, channel, facts, status, subject, body, updated_at AS updatedAt, idempotency_key AS idempotencyKey FROM messages WHERE id = ?',
  );
  const update = db.prepare(
    `UPDATE messages SET subject = ?, body = ?, produced_by = ?, model_sha256 = ?, updated_at = ?
      WHERE id = ? AND status = 'draft' AND updated_at = ? AND subject = ? AND body = ?`,
  );
  const progress: BatchProgress = { total: ids.length, done: 0, fromModel: 0, fallback: 0, skipped: 0, cancelled: false };
  const report = (): void => o.onProgress?.({ ...progress });
  report();

  const queue = [...ids];
  const worker = async (): Promise<void> => {
    for (;;) {
      if (o.signal?.aborted) {
        progress.cancelled = true;
        return;
      }
      const id = queue.shift();
      if (id === undefined) return;
      const row = select.get(id) as Row | undefined;
      const req = row && row.status === 'draft' ? storedDraftRequest(db, flow, row) : null;
      if (!row || !req) {
        progress.skipped++;
      } else {
        const untrusted = [...(req.untrusted ?? []), ...(o.untrustedFor?.(id) ?? [])];
        const out = await draftMessage(host, { ...req, ...(untrusted.length ? { untrusted } : {}) });
        const changed = update.run(out.subject, out.body, out.producedBy, out.modelSha256, o.now(), id, row.updatedAt, row.subject, row.body).changes;
        if (!changed) progress.skipped++;
        else if (out.modelSha256) progress.fromModel++;
        else progress.fallback++;
      }
      progress.done++;
      report();
    }
  };
  const n = Math.max(1, o.concurrency ?? host.status().model?.sequences ?? 1);
  await Promise.all(Array.from({ length: Math.min(n, Math.max(1, ids.length)) }, worker));
  if (o.signal?.aborted) progress.cancelled = true;
  report();
  return progress;
}
