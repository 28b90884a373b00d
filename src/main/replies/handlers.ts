/**
 * Contract handlers of dropped mail, reply triage and escalation tasks: `replies.import` (customer
 * replies and supplier mail as .eml files, see ingest.ts importReplyFiles), `tasks.get`,
 * `tasks.act` (cancel and refund in full; record consent to wait after a second delay). The core spreads them into its handler map; `tasks.list` (with filters) uses
 * `listTasksFiltered` from tasks.ts.
 */
import type { CommandOutputs } from '../../shared/contract';
import type { EtaExtractorModel } from '../../core/eta/extract/model';
import { AppError } from '../../shared/result';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { loadSettings } from '../store/settings';
import { cancelAndRefund, recordConsentByPerson, recordedOrderActions, type OrderActions } from './actions';
import { importReplyFiles, type ReplyTriageOptions } from './ingest';
import { getTaskDetail, listTasksFiltered } from './tasks';

export interface ReplyHandlerDeps {
  db: Db;
  flow: SequenceFlow;
  now: () => string;
  /** Views to refresh after a change (the core's data.changed event). */
  changed: (...views: ('backorders' | 'drafts' | 'tasks' | 'status')[]) => void;
  /** The store's side of task actions; a CSV store records them (default). */
  orderActions?: OrderActions;
  triage?: ReplyTriageOptions;
  /** The local model's ETA reader for supplier text the rules cannot read, when a model is ready. */
  etaModel?: () => EtaExtractorModel | undefined;
  /**
   * Runs after an import stored supplier quotes (the core's scheduler tick), so the backorders' ETA
   * ranges move at once, as after a Gmail sync. A failure is reported in no file: the quotes are
   * stored and the next tick moves the ranges.
   */
  afterQuotes?: () => unknown;
}

export function replyHandlers(d: ReplyHandlerDeps): {
  'replies.import': (i: { files: { name: string; content: string }[] }) => Promise<CommandOutputs['replies.import']>;
  'tasks.get': (i: { id: number }) => CommandOutputs['tasks.get'];
  'tasks.act': (i: { id: number; action: 'cancel_refund' | 'record_consent'; confirm: true }) => Promise<CommandOutputs['tasks.act']>;
} {
  return {
    'replies.import': async (i) => {
      const files = i.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.content, 'base64') }));
      const model = d.etaModel?.();
      const { report, quotes } = await importReplyFiles(d.db, d.flow, loadSettings(d.db), files, d.now(), { ...d.triage, ...(model ? { etaModel: model } : {}) });
      if (quotes > 0 && d.afterQuotes) {
        try {
          await d.afterQuotes();
        } catch {
          // The quotes are stored; the next scheduled tick moves the ranges.
        }
      }
      d.changed('tasks', 'drafts', 'status', 'backorders');
      return report;
    },
    'tasks.get': (i) => {
      const detail = getTaskDetail(d.db, loadSettings(d.db), i.id, d.now());
      if (!detail) throw new AppError('NOT_FOUND', `No task ${i.id}.`);
      return detail;
    },
    'tasks.act': async (i) => {
      const r = i.action === 'record_consent' ? recordConsentByPerson(d.db, i.id, d.now()) : await cancelAndRefund(d.db, d.orderActions ?? recordedOrderActions, i.id, d.now());
      d.changed('tasks', 'status', 'backorders');
      return { ...r, task: listTasksFiltered(d.db).find((t) => t.id === i.id)! };
    },
  };
}
