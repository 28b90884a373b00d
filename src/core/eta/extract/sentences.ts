/**
 * Splits supplier text into sentences, the unit an ETA is quoted in and shown back to a person.
 * Abbreviations common in supplier mail ("Dec.", "approx.", "No.") do not end a sentence, and a
 * period followed by a digit or a lower-case word ("Dec. 15th", "e.g. the") does not either.
 */

const ABBREV = /\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|approx|appr|ca|no|nr|e\.g|i\.e|vs|mr|mrs|ms|dr|st|inc|ltd|co|wk|wks|est|qty|pcs|ref|att|attn)\.$/i;

/** A sentence with its character offset in the original text. */
export interface Sentence {
  text: string;
  offset: number;
}

/** Sentences of `text`, trimmed, in order; blank ones dropped. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const boundary = /[.!?](?=\s)|\n\s*\n|\r?\n(?=\s*[-*•>]|\s*[A-Z])/g;
  let start = 0;
  let m: RegExpExecArray | null;
  const pieces: { from: number; to: number }[] = [];
  while ((m = boundary.exec(text))) {
    const end = m.index + (m[0].startsWith('\n') || m[0].startsWith('\r') ? 0 : 1);
    const piece = text.slice(start, end);
    const after = text.slice(m.index + m[0].length).replace(/^\s+/, '');
    const joinNext = /[.]$/.test(piece) && (ABBREV.test(piece) || /^[a-z0-9]/.test(after));
    if (joinNext) continue;
    pieces.push({ from: start, to: end });
    start = m.index + m[0].length;
  }
  pieces.push({ from: start, to: text.length });
  for (const p of pieces) {
    const raw = text.slice(p.from, p.to);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim().replace(/\s+/g, ' ');
    if (t) out.push({ text: t, offset: p.from + lead });
  }
  return out;
}
