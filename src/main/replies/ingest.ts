/**
 * Dropped mail into the app: .eml files (and Gmail JSON resources) through the shared mail pipeline —
 * parsed with postal-mime and stripped of invisible Unicode (src/main/mail), routed like Gmail mail
 * (src/main/gmail/route.ts), stored once in `inbound_mail`. Customer replies (In-Reply-To/References
 * naming a message we sent, or an order number in the subject) are triaged and handled here
 * (handle.ts); supplier mail goes to the ETA quote reader (src/main/eta/mail-quotes.ts).
 * `createReplySink` is also the sink the Gmail sync hands its customer replies to.
 */
import { createHash } from 'node:crypto';
import type { Settings } from '../../shared/contract';
import type { ReplyImportReport, ReplyImportMessage } from '../../shared/domain';
import { triageReply } from '../../core/triage/classify';
import type { SentimentSignal } from '../../core/triage/lexicon';
import { defaultSentimentSignals } from './signals';
import { triageWithModel, type TriageModel } from '../../core/triage/model';
import type { Triage } from '../../core/triage/types';
import type { SequenceFlow } from '../../core/sequence/flow';
import type { EtaExtractorModel } from '../../core/eta/extract/model';
import type { Db } from '../store/db';
import { quotesFromSupplierMail } from '../eta/mail-quotes';
import { notify, type InboundMailEvent, type InboundMailSink } from '../gmail/ingest';
import { dbRouteContext } from '../gmail/db-lookups';
import { routeMail, type Route } from '../gmail/route';
import { storeInbound, type InboundOrigin } from '../gmail/store';
import { parseMailBytes } from '../mail/file';
import type { ParsedMail } from '../mail/types';
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
        {
          mailId: e.mailId, orderId: e.route.orderId, backorderId: e.route.backorderId, from: e.mail.from, subject: e.mail.subject, newText: e.mail.newText,
          senderMismatch: e.route.senderMismatch === true,
        },
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

/** Options of {@link importReplyFiles}: reply triage's, and the ETA reader's for supplier mail. */
export interface MailImportOptions extends ReplyTriageOptions {
  /** Reads supplier text the rules cannot (the local model); its answers are validated in code. */
  etaModel?: EtaExtractorModel;
}

/** What {@link importReplyFiles} did: the contract's report, and how many supplier quotes it stored. */
export interface MailImportResult {
  report: ReplyImportReport;
  /** Quotes stored from supplier mail, all files together (the caller moves ETA ranges when > 0). */
  quotes: number;
}

/**
 * The dedupe key of a dropped message: SHA-256 hex of the file's bytes, with the message's index
 * appended before hashing when one file (Gmail JSON) holds several. Gmail resources with an id need
 * none: `inbound_mail.gmail_id` is unique.
 */
function contentHash(bytes: Buffer, index: number | null): string {
  const h = createHash('sha256').update(bytes);
  if (index !== null) h.update(`#${index}`);
  return h.digest('hex');
}

/**
 * Stores a routed message once (migration 14): a row with the same content hash, Gmail id or
 * Message-ID means the file was dropped before. One transaction, so a crash leaves no row without
 * its hash. @returns the new row id, or null when it was already stored.
 */
function storeDropped(db: Db, mail: ParsedMail, origin: InboundOrigin, route: Route, hash: string | null, now: string): number | null {
  return db.transaction(() => {
    if (hash !== null && db.prepare('SELECT 1 FROM inbound_mail WHERE content_hash = ?').get(hash)) return null;
    const id = storeInbound(db, mail, origin, route, now);
    if (id !== null && hash !== null) db.prepare('UPDATE inbound_mail SET content_hash = ? WHERE id = ?').run(hash, id);
    return id;
  })();
}

/**
 * Imports dropped mail files ({name, bytes}: .eml, or Gmail JSON resources), each message routed as
 * Gmail sync routes it (src/main/gmail/route.ts):
 * - a customer reply is triaged and handled (handle.ts), exactly as before supplier mail came in;
 * - supplier mail (sender address or domain of a supplier) is stored, linked to its supplier and read
 *   for ETA quotes by the same reader as the Gmail sync (src/main/eta/mail-quotes.ts), oldest first
 *   across the files, so "pushed back two weeks" counts from the quote sent before it;
 * - anything else is stored as ignored (ids only) and reported so.
 *
 * Dropping the same file again stores nothing and reads nothing again (route 'duplicate'): messages
 * are recognised by Gmail id, Message-ID or the content hash of the file (migration 14).
 *
 * A file that cannot be read as mail is reported with an error naming it, and the others go on; what
 * was stored before is kept. A supplier message whose quotes cannot be read stays stored and lists
 * the problem. Times: `now` is ISO 8601 UTC.
 */
export async function importReplyFiles(
  db: Db,
  flow: SequenceFlow,
  settings: Settings,
  files: readonly { name: string; bytes: Buffer }[],
  now: string,
  options: MailImportOptions = {},
): Promise<MailImportResult> {
  const own = bareAddress(settings.fromAddress);
  const report: ReplyImportReport = { files: [] };
  const supplierMail: { e: InboundMailEvent; entry: ReplyImportMessage; file: string }[] = [];
  for (const f of files) {
    const messages: ReplyImportMessage[] = [];
    try {
      // A file that is not mail (empty, binary, no headers: a PDF or spreadsheet dropped by
      // mistake) is refused here, before anything of it is stored; `mail parse` refuses the same.
      const parsed = await parseMailBytes(f.bytes, f.name, { mailOnly: true });
      for (const [i, { mail, gmailId, threadId }] of parsed.entries()) {
        let handled: ReplyHandled | null = null;
        let supplier: InboundMailEvent | null = null;
        const sink: InboundMailSink = {
          ...createReplySink(db, flow, () => settings, () => now, options, (h) => (handled = h)),
          supplierMail: (e) => void (supplier = e),
        };
        const origin: InboundOrigin = { source: gmailId ? 'gmail' : 'eml', gmailId, threadId };
        const route = routeMail(mail, threadId, dbRouteContext(db, own ? [own] : []));
        const mailId = storeDropped(db, mail, origin, route, gmailId ? null : contentHash(f.bytes, parsed.length > 1 ? i : null), now);
        if (mailId !== null) await notify(db, { mail, origin, route, mailId }, now, sink);
        const h = handled as ReplyHandled | null;
        const entry: ReplyImportMessage = {
          subject: mail.subject,
          from: mail.from,
          route: mailId === null ? 'duplicate' : route.kind,
          reason: mailId === null ? `already imported (${route.reason})` : route.reason,
          orderName: h?.orderName ?? null,
          sentiment: h?.triage.sentiment ?? null,
          needsPerson: h?.triage.needsPerson ?? null,
          intents: h?.triage.intents.map((x) => x.kind) ?? [],
          tasks: h?.tasks ?? [],
          answerMessageId: h?.answerMessageId ?? null,
          consent: h?.consent ?? null,
        };
        const e = supplier as InboundMailEvent | null;
        if (e && e.route.kind === 'supplier') {
          entry.supplierMail = { supplierName: e.route.supplier.name, quotes: 0, needPerson: 0, problems: [] };
          supplierMail.push({ e, entry, file: f.name });
        }
        messages.push(entry);
      }
      report.files.push({ file: f.name, messages, error: null });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      report.files.push({ file: f.name, messages, error: message.startsWith(f.name) ? message : `${f.name}: ${message}` });
    }
  }

  let quotes = 0;
  const sentAt = (x: { e: InboundMailEvent }): string => x.e.mail.date ?? x.e.receivedAt;
  supplierMail.sort((a, b) => sentAt(a).localeCompare(sentAt(b)) || a.e.mailId - b.e.mailId);
  for (const { e, entry, file } of supplierMail) {
    const read = entry.supplierMail!;
    try {
      const r = await quotesFromSupplierMail(db, e, now, options.etaModel);
      read.quotes = r.quotes;
      read.needPerson = r.tasks;
      read.problems = r.problems.map((p) => `${file}: ${p}`);
      quotes += r.quotes;
    } catch (err) {
      // Stored all the same: the owner sees why, and the mail is in the database to read by hand.
      read.problems = [`${file}: not read for quotes (${err instanceof Error ? err.message : String(err)})`];
    }
  }
  return { report, quotes };
}
