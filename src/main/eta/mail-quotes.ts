/**
 * Supplier mail into ETA quotes: the sink the Gmail sync hands each new supplier message to
 * (gmail/ingest.ts InboundMailSink.supplierMail).
 *
 * What is read, all of it untrusted data (DESIGN.md: inbound mail is data, never instructions):
 * - the body as the supplier wrote it now (`newText`: quoted history and forwarded blocks stripped,
 *   so an old ETA quoted back at us is not read as a new one), plus the text of forwarded blocks
 *   that come from a known supplier (owners forward quotes from other inboxes);
 * - text attachments (.txt, text/plain) the same way;
 * - a CSV/TSV attachment goes to the sheet importer (sheet-import.ts) with the supplier's saved
 *   column mapping, or one guessed from the header;
 * - an X12 attachment (.edi, .x12, .855, .856, or text starting with an ISA segment) goes to the EDI
 *   importer (edi-import.ts).
 *
 * Each text is matched to variants by SKU, PO number or product title (core/eta/extract/match.ts);
 * when it names none, the backorder the mail is linked to (an order number in the subject) is used.
 * For each variant the extractor runs with that variant's current quote as the prior ETA (so
 * "pushed back two weeks" moves the date the supplier gave before), the supplier's date locale and
 * transit days. Each quote keeps its source ('email', the Message-ID), its confidence and sentence;
 * below the review threshold, or matched to no variant, it becomes an 'eta_low_confidence' task
 * (quotes.ts addQuote). When a local model is given, text the rules cannot read is offered to it
 * and its answer is validated in code (core/eta/extract/model.ts).
 *
 * A failure on one piece (a malformed CSV or EDI file) is recorded as a task for a person and does
 * not stop the others or the sync: a supplier's mail must never crash the app.
 */
import { addDays } from '../../core/eta/calendar';
import type { EtaExtractorModel } from '../../core/eta/extract/model';
import type { EtaExtraction } from '../../core/eta/types';
import type { QuoteRow } from '../../shared/eta';
import { extractEtaWithModel } from '../../core/eta/extract/model';
import { poNumbers, variantMatcher } from '../../core/eta/extract/match';
import type { InboundMailEvent } from '../gmail/ingest';
import type { Db } from '../store/db';
import { loadSettings } from '../store/settings';
import { storeDay } from './backorder-eta';
import { importEdi } from './edi-import';
import { knownPos, variantRefs } from './handlers';
import { addQuote, currentQuote } from './quotes';
import { importSheet, readCsvTable } from './sheet-import';
import { listSuppliers } from './suppliers';

/** What one supplier message produced. */
export interface MailQuoteReport {
  /** Quotes stored (new rows). */
  quotes: number;
  /** Review tasks opened (low confidence, no variant, unreadable attachment). */
  tasks: number;
  /** One line per piece that could not be read, naming the attachment. */
  problems: string[];
}

const EDI_NAME = /\.(?:edi|x12|855|856)$/i;
const CSV_NAME = /\.(?:csv|tsv)$/i;
const TEXT_NAME = /\.(?:txt|text)$/i;
/** Words that make a text worth a person's look even when no date could be read from it. */
const ETA_TALK = /\b(?:eta|etd|ship|dispatch|deliver|arriv|delay|pushed|backorder|back order|in stock|restock|lead ?time|tbd|until further notice)/i;

const decode = (b: Uint8Array | Buffer): string => Buffer.from(b).toString('utf8').replace(/^\uFEFF/, '');

function openTask(db: Db, key: string, reason: string, context: Record<string, unknown>, now: string): number {
  return db
    .prepare(
      `INSERT OR IGNORE INTO tasks (backorder_id, order_id, kind, reason, recommended_action, context, dedupe_key, created_at)
       VALUES (NULL, NULL, 'eta_low_confidence', ?, ?, ?, ?, ?)`,
    )
    .run(reason, "Open the supplier's message, read the ETA and enter it by hand (Suppliers → Add quote), or dismiss it.", JSON.stringify(context), key, now).changes;
}

/** One variant index per database while its variants stay the same: a sync reads many mails in a row. */
const matchers = new WeakMap<Db, { signature: string; match: ReturnType<typeof variantMatcher> }>();

function matcherFor(db: Db): ReturnType<typeof variantMatcher> {
  const signature = JSON.stringify(db.prepare('SELECT count(*), max(updated_at) FROM variants').raw().get());
  const cached = matchers.get(db);
  if (cached?.signature === signature) return cached.match;
  const match = variantMatcher(variantRefs(db));
  matchers.set(db, { signature, match });
  return match;
}

const ARRIVAL_TALK = /\b(?:arriv\w*|deliver\w*|receiv\w*|in stock|land\w*)\b/i;

/**
 * "Pushed back two weeks" moves the date the supplier gave before, so it is the same kind of date:
 * when the prior quote was a ship date and the delay sentence does not speak of arrival, the new
 * date is a ship date too and the supplier's transit days are added for the arrival.
 */
function delayKeepsPriorKind(x: EtaExtraction, prior: QuoteRow | null, transitDays: number): EtaExtraction {
  if (x.rule !== 'delay-relative' || !prior?.isShipDate || x.isShipDate || x.start === null || x.end === null || ARRIVAL_TALK.test(x.sentence)) return x;
  return { ...x, isShipDate: true, arrivalStart: addDays(x.start, transitDays), arrivalEnd: addDays(x.end, transitDays), notes: [...x.notes, 'moves the earlier ship date, so it is a ship date too'] };
}

/**
 * Reads the quotes of one supplier message (see module doc). Synchronous database work; awaits only
 * the optional model.
 */
export async function quotesFromSupplierMail(
  db: Db,
  e: InboundMailEvent,
  now: string,
  model?: EtaExtractorModel,
): Promise<MailQuoteReport> {
  const report: MailQuoteReport = { quotes: 0, tasks: 0, problems: [] };
  if (e.route.kind !== 'supplier') return report;
  const route = e.route;
  const settings = loadSettings(db);
  const supplier = listSuppliers(db).find((s) => String(s.id) === route.supplier.id) ?? null;
  const sourceRef = e.mail.messageId ?? (e.origin.gmailId ? `gmail:${e.origin.gmailId}` : `inbound:${e.mailId}`);
  const quotedAt = storeDay(e.mail.date ?? e.receivedAt, settings.timezone);
  const match = matcherFor(db);
  const pos = knownPos(db);
  // The model reads the text, not the variant: one question per text even when it names several.
  const asked = new Map<string, Promise<unknown>>();
  const once: EtaExtractorModel | undefined = model && {
    extract: (text) => {
      let answer = asked.get(text);
      if (!answer) asked.set(text, (answer = model.extract(text)));
      return answer;
    },
  };
  const linkedVariant = route.backorderId !== null
    ? ((db.prepare('SELECT variant_id FROM backorders WHERE id = ?').pluck().get(route.backorderId) as string | null | undefined) ?? null)
    : null;

  const readText = async (text: string, ref: string, where: string): Promise<void> => {
    if (!text.trim()) return;
    let ids = match(text, pos).map((m) => m.variantId);
    if (!ids.length && linkedVariant) ids = [linkedVariant];
    const targets: (string | null)[] = ids.length ? ids : [null];
    for (const variantId of targets) {
      const prior = variantId ? currentQuote(db, variantId) : null;
      const read = await extractEtaWithModel(text, {
        sent: quotedAt,
        priorEta: prior?.end ?? null,
        transitDays: supplier?.transitDays ?? 0,
        ...(supplier?.dateLocale ? { locale: supplier.dateLocale } : {}),
      }, once);
      const x = delayKeepsPriorKind(read, prior, supplier?.transitDays ?? 0);
      // Mail that names no product of ours and says nothing about shipping ("have a nice weekend") is
      // not a quote, even when a date can be read from it; keep the review queue for real ones.
      if (!variantId && !ETA_TALK.test(x.rule === 'none' ? text : x.sentence)) continue;
      const r = addQuote(db, {
        supplierId: supplier?.id ?? null, variantId, poNumber: poNumbers(text)[0] ?? null,
        source: x.rule === 'model' ? 'model' : 'email', sourceRef: ref, quotedAt,
        kind: x.kind, start: x.start, end: x.end, isShipDate: x.isShipDate, arrivalStart: x.arrivalStart, arrivalEnd: x.arrivalEnd,
        confidence: x.confidence, sentence: x.sentence || `${where}: ${text.trim().slice(0, 300)}`, rule: x.rule,
      }, now);
      if (r.created) report.quotes++;
      if (r.taskOpened) report.tasks++;
    }
  };

  const forwarded = e.mail.forwarded
    .filter((f) => f.from && supplier && (supplier.emails.includes(f.from) || supplier.domains.some((d) => f.from!.endsWith(`@${d}`) || f.from!.endsWith(`.${d}`))))
    .map((f) => f.text);
  await readText([e.mail.newText, ...forwarded].filter((t) => t.trim()).join('\n\n'), sourceRef, 'mail');

  for (const a of e.mail.attachments) {
    if (!a.content) continue;
    const ref = `${sourceRef}#${a.name}`;
    try {
      const text = decode(a.content);
      if (EDI_NAME.test(a.name) || /^\s*ISA[*|^~]/.test(text)) {
        const r = importEdi(db, a.name, text, now, supplier?.name);
        report.quotes += r.stored.length;
        if (r.unmatched.length) {
          report.tasks += openTask(db, `edi_unmatched:${ref}`, `${a.name} from ${route.supplier.name}: ${r.unmatched.length} EDI line(s) name no SKU of ours`, { sourceRef: ref, unmatched: r.unmatched }, now);
        }
      } else if (CSV_NAME.test(a.name) || a.contentType === 'text/csv' || a.contentType === 'text/tab-separated-values') {
        if (!supplier) throw new Error('the supplier of this mail is no longer in Suppliers');
        const r = importSheet(db, { supplier: supplier.name, name: a.name, table: readCsvTable(a.name, text) }, now);
        report.quotes += r.stored;
        if (r.problems.length) {
          const shown = r.problems.slice(0, 5).map((p) => `${p.file} line ${p.line}, column "${p.column}": ${p.message}`).join('; ');
          report.tasks += openTask(db, `sheet_problems:${ref}`, `Supplier sheet ${a.name} from ${route.supplier.name}: ${r.problems.length} line(s) not read — ${shown}`, { sourceRef: ref, problems: r.problems.slice(0, 50) }, now);
        }
      } else if (TEXT_NAME.test(a.name) || a.contentType === 'text/plain') {
        await readText(text, ref, a.name);
      }
    } catch (err) {
      const message = `${a.name}: ${err instanceof Error ? err.message : String(err)}`;
      report.problems.push(message);
      report.tasks += openTask(db, `attachment:${ref}`, `An attachment from ${route.supplier.name} could not be read (${message.slice(0, 300)})`, { sourceRef: ref }, now);
    }
  }
  return report;
}

