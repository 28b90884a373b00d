/**
 * Customer replies into the app: dropped .eml files (and Gmail JSON resources) through the shared
 * mail pipeline — parsed with postal-mime and stripped of invisible Unicode (src/main/mail), routed
 * to an order by In-Reply-To/References naming a message we sent or by an order number in the
 * subject (src/main/gmail/route.ts), stored in `inbound_mail` — and then triaged and handled here
 * (handle.ts). `createReplySink` is also the sink the Gmail sync hands its customer replies to.
 */
import type { Settings } from '../../shared/contract';
import type { ReplyImportReport, ReplyImportMessage } from '../../shared/domain';
import { AppError } from '../../shared/result';
import { triageReply } from '../../core/triage/classify';
import type { SentimentSignal } from '../../core/triage/lexicon';
import { defaultSentimentSignals } from './signals';
import { triageWithModel, type TriageModel } from '../../core/triage/model';
import type { Triage } from '../../core/triage/types';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { Db } from '../store/db';
import { ingestMail, type InboundMailEvent, type InboundMailSink } from '../gmail/ingest';
import { dbRouteContext } from '../gmail/db-lookups';
import { parseMailBytes } from '../mail/file';
import { handleCustomerReply, type ReplyHandled } from './handle';

export interface ReplyTriageOptions {
  /** Sentiment signals; default the built-in lexicon plus AFINN-165. */
  signals?: readonly SentimentSignal[];
  /** The local model (used while one is loaded). A failing or invalid answer is recorded and ignored (the rules decide alone). */
  model?: TriageModel;
}

/** Rules first, then the model's answer when a model is loaded (see core/triage/model.ts). */
export async function triageText(text: string, options: ReplyTriageOptions = {}): Promise<Triage> {
  const rules = triageReply(text, { signals: options.signals ?? defaultSentimentSignals() });
  return triageWithModel(rules, options.model);
}

/** The sink that triages and handles customer replies (see module doc). `onHandled` sees every result. */
export function createReplySink(
  db: Db,
  flow: SequenceFlow,
  settings: () => Settings,
  now: () => string,
  options: ReplyTriageOptions = {},
  onHandled?: (h: ReplyHandled) => void,
): InboundMailSink {
  return {
    async customerReply(e: InboundMailEvent) {
      if (e.route.kind !== 'customer_reply') return;
      const triage = await triageText(e.mail.newText, options);
      const handled = handleCustomerReply(
        db,
        flow,
        settings(),
        { mailId: e.mailId, orderId: e.route.orderId, backorderId: e.route.backorderId, from: e.mail.from, subject: e.mail.subject, newText: e.mail.newText },
        triage,
        now(),
      );
      onHandled?.(handled);
    },
  };
}

/** The bare address of a From setting such as "Shop <help@shop.example>". */
export function bareAddress(from: string): string | null {
  const m = /<([^>]+)>\s*$/.exec(from) ?? /([^\s<>]+@[^\s<>]+)/.exec(from);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Imports reply files ({name, bytes}). A file that cannot be parsed is reported with its error and
 * the others go on. @returns per file, per message: how it was routed and what handling did.
 */
export async function importReplyFiles(
  db: Db,
  flow: SequenceFlow,
  settings: Settings,
  files: readonly { name: string; bytes: Buffer }[],
  now: string,
  options: ReplyTriageOptions = {},
): Promise<ReplyImportReport> {
  const own = bareAddress(settings.fromAddress);
  const report: ReplyImportReport = { files: [] };
  for (const f of files) {
    const messages: ReplyImportMessage[] = [];
    try {
      for (const { mail, gmailId, threadId } of await parseMailBytes(f.bytes, f.name)) {
        let handled: ReplyHandled | null = null;
        const sink = createReplySink(db, flow, () => settings, () => now, options, (h) => (handled = h));
        const r = await ingestMail(db, mail, { source: gmailId ? 'gmail' : 'eml', gmailId, threadId }, dbRouteContext(db, own ? [own] : []), now, sink);
        const h = handled as ReplyHandled | null;
        messages.push({
          subject: mail.subject,
          from: mail.from,
          route: r.mailId === null ? 'duplicate' : r.route.kind,
          reason: r.route.reason,
          orderName: h?.orderName ?? null,
          sentiment: h?.triage.sentiment ?? null,
          needsPerson: h?.triage.needsPerson ?? null,
          intents: h?.triage.intents.map((i) => i.kind) ?? [],
          tasks: h?.tasks ?? [],
          answerMessageId: h?.answerMessageId ?? null,
          consent: h?.consent ?? null,
        });
      }
      report.files.push({ file: f.name, messages, error: null });
    } catch (err) {
      report.files.push({ file: f.name, messages, error: err instanceof AppError || err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}
