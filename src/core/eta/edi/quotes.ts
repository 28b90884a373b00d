/**
 * Supplier quotes from X12 855 (purchase order acknowledgment) and 856 (ship notice / manifest).
 *
 * 855 (ASC X12 855 BAK/PO1/ACK/DTM segments): BAK03 is the PO number, BAK04 its date (the quote
 * day). Header DTM dates apply to every line unless the line's ACK gives its own: ACK01 status
 * (element 668: IA accepted, IB backordered, IC/IQ/DR accepted with changes, IR rejected, IS
 * substitution), ACK04 date qualifier and ACK05 date. Date qualifiers (element 374): 017 estimated
 * delivery, 067 current schedule delivery, 068 current schedule ship, 002 delivery requested,
 * 010 requested ship, 011 shipped. A ship date is flagged so transit days get added.
 * Item ids come in qualifier/value pairs from PO106 on (VP vendor part, BP buyer part, SK SKU,
 * UP UPC, CB buyer catalog, VC vendor catalog, …). A rejected line gives an *unknown* quote.
 *
 * 856: BSN03 is the notice date; DTM 011 (shipped) and 017/067 (estimated / scheduled delivery)
 * at the shipment level; PRF01 gives the PO of the following items, LIN the item ids (pairs from
 * LIN02), SN1 the quantity shipped.
 */
import type { TransactionSet } from './x12';
import { x12Date } from './x12';

export interface EdiQuote {
  poNumber: string | null;
  /** Item ids by qualifier, e.g. { SK: '100014544', VN: '25555120' }. */
  itemIds: Record<string, string>;
  quantity: number | null;
  /** ACK01 for 855 lines; 'SHIPPED' for 856 items. */
  status: string;
  kind: 'date' | 'unknown';
  date: string | null;
  isShipDate: boolean;
  /** Day the document was issued (BAK04 / BSN03). */
  issuedAt: string | null;
  /** The segments it came from, for a person to read. */
  sentence: string;
}

const ARRIVAL_QUALIFIERS = ['017', '067', '002'];
const SHIP_QUALIFIERS = ['068', '010', '011'];

function pickDate(dtms: Map<string, string>): { date: string; ship: boolean } | null {
  for (const q of ARRIVAL_QUALIFIERS) if (dtms.has(q)) return { date: dtms.get(q)!, ship: false };
  for (const q of SHIP_QUALIFIERS) if (dtms.has(q)) return { date: dtms.get(q)!, ship: true };
  return null;
}

const pairs = (seg: string[], from: number): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = from; i + 1 < seg.length; i += 2) if (seg[i] && seg[i + 1]) out[seg[i]!] = seg[i + 1]!;
  return out;
};

/** Quotes of one 855 transaction set, one per PO1 line. */
export function quotesFrom855(set: TransactionSet): EdiQuote[] {
  const bak = set.segments.find((s) => s[0] === 'BAK');
  const po = bak?.[3] || null;
  const issuedAt = x12Date(bak?.[4]);
  const header = new Map<string, string>();
  const out: EdiQuote[] = [];
  let line: { seg: string[]; acks: string[][]; dtms: Map<string, string> } | null = null;
  const flush = (): void => {
    if (!line) return;
    const ack = line.acks[0];
    const status = ack?.[1] || 'NONE';
    const ackDate = ack && ack[4] && x12Date(ack[5]) ? { q: ack[4], d: x12Date(ack[5])! } : null;
    // The line's own dates (its ACK, its DTMs) replace the header's: they are the newer word on that item.
    const own = new Map([...line.dtms, ...(ackDate ? [[ackDate.q, ackDate.d] as const] : [])]);
    const chosen = status === 'IR' ? null : (pickDate(own) ?? pickDate(header));
    out.push({
      poNumber: po,
      itemIds: pairs(line.seg, 6),
      quantity: ack?.[2] ? Number(ack[2]) : line.seg[2] ? Number(line.seg[2]) : null,
      status,
      kind: chosen ? 'date' : 'unknown',
      date: chosen?.date ?? null,
      isShipDate: chosen?.ship ?? false,
      issuedAt,
      sentence: [bak, line.seg, ...line.acks].filter(Boolean).map((s) => s!.join('*')).join('~'),
    });
    line = null;
  };
  for (const s of set.segments) {
    if (s[0] === 'PO1') {
      flush();
      line = { seg: s, acks: [], dtms: new Map() };
    } else if (s[0] === 'ACK' && line) line.acks.push(s);
    else if (s[0] === 'DTM') {
      const d = x12Date(s[2]);
      if (d && s[1]) (line ? line.dtms : header).set(s[1], d);
    } else if (s[0] === 'CTT') flush();
  }
  flush();
  return out;
}

/** Quotes of one 856 transaction set, one per LIN item. */
export function quotesFrom856(set: TransactionSet): EdiQuote[] {
  const bsn = set.segments.find((s) => s[0] === 'BSN');
  const issuedAt = x12Date(bsn?.[3]);
  const dtms = new Map<string, string>();
  for (const s of set.segments) if (s[0] === 'DTM' && s[1] && x12Date(s[2])) dtms.set(s[1], x12Date(s[2])!);
  const chosen = pickDate(dtms);
  const out: EdiQuote[] = [];
  let po: string | null = null;
  let item: EdiQuote | null = null;
  for (const s of set.segments) {
    if (s[0] === 'PRF') {
      po = s[1] || null;
      if (item && !item.poNumber) item.poNumber = po;
    } else if (s[0] === 'LIN') {
      item = {
        poNumber: po, itemIds: pairs(s, 2), quantity: null, status: 'SHIPPED', kind: chosen ? 'date' : 'unknown',
        date: chosen?.date ?? null, isShipDate: chosen?.ship ?? false, issuedAt, sentence: [bsn, s].filter(Boolean).map((x) => x!.join('*')).join('~'),
      };
      out.push(item);
    } else if (s[0] === 'SN1' && item) {
      item.quantity = s[2] ? Number(s[2]) : null;
    }
  }
  return out;
}

/** Quotes of every 855 and 856 set in a parsed interchange (other types are ignored). */
export function ediQuotes(sets: readonly TransactionSet[]): EdiQuote[] {
  return sets.flatMap((s) => (s.type === '855' ? quotesFrom855(s) : s.type === '856' ? quotesFrom856(s) : []));
}
