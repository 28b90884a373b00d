/**
 * A small ASC X12 reader: the ISA header fixes the separators (element = the 4th character, ISA16 =
 * component separator, the character after it = segment terminator, which may be a newline), so
 * files with '~', '*', '…' or line-ending terminators and indented or BOM-prefixed text all read
 * the same. Returns the transaction sets (ST…SE) with their segments as element arrays.
 * (No maintained X12 package is installed in this project; this covers the envelope rules of
 * ASC X12.5/X12.6 that 855 and 856 need, not validation against implementation guides.)
 */

export type Segment = string[];

export interface TransactionSet {
  /** ST01, e.g. '855' or '856'. */
  type: string;
  control: string;
  segments: Segment[];
}

/**
 * Parses an interchange.
 * @throws Error when the text has no ISA header or it is too short to hold the separators.
 */
export function parseX12(text: string): TransactionSet[] {
  const start = text.indexOf('ISA');
  if (start < 0) throw new Error('not an X12 interchange: no ISA segment');
  const body = text.slice(start);
  const el = body[3]!;
  let pos = 0;
  for (let n = 0; n < 16; n++) {
    pos = body.indexOf(el, pos + 1);
    if (pos < 0) throw new Error('not an X12 interchange: the ISA segment is cut short');
  }
  const terminator = body[pos + 2];
  if (terminator === undefined) throw new Error('not an X12 interchange: no segment terminator after ISA16');
  const raw = /\s/.test(terminator) ? body.split(/\r?\n|\r/) : body.split(terminator);
  const segments = raw.map((s) => s.trim()).filter(Boolean).map((s) => s.split(el).map((e) => e.trim()));
  const sets: TransactionSet[] = [];
  let current: TransactionSet | null = null;
  for (const seg of segments) {
    if (seg[0] === 'ST') {
      current = { type: seg[1] ?? '', control: seg[2] ?? '', segments: [] };
      sets.push(current);
    } else if (seg[0] === 'SE') {
      current = null;
    } else if (current) {
      current.segments.push(seg);
    }
  }
  return sets;
}

/** An X12 date (CCYYMMDD, or YYMMDD with the century taken as 20xx) as ISO; null otherwise. */
export function x12Date(s: string | undefined): string | null {
  if (!s) return null;
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? (/^(\d{2})(\d{2})(\d{2})$/.exec(s) ? ([s, `20${s.slice(0, 2)}`, s.slice(2, 4), s.slice(4, 6)] as const) : null);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso ? null : iso;
}
