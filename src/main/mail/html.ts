/**
 * HTML mail turned into plain text for reading and classification. A linear scan over tags (no
 * backtracking regexes over the whole document, so a hostile message cannot stall ingest): block
 * elements become line breaks, list items "- ", `<blockquote>` and Gmail's `gmail_quote` container
 * become "> "-prefixed lines so the quoted-history stripper sees them like a plain-text reply, and
 * script, style, head and title content is dropped.
 */

const BLOCK = new Set([
  'p', 'div', 'br', 'tr', 'table', 'tbody', 'thead', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'section', 'article', 'header', 'footer', 'pre', 'address', 'center', 'dl', 'dt', 'dd', 'form', 'fieldset',
]);
const SKIP_CONTENT = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£',
  bull: '•', middot: '·', laquo: '«', raquo: '»', shy: '\u00ad', zwnj: '\u200c', zwj: '\u200d',
  eacute: 'é', egrave: 'è', agrave: 'à', aacute: 'á', ouml: 'ö', uuml: 'ü', auml: 'ä', szlig: 'ß', ccedil: 'ç',
};

/** Decodes HTML character references (named ones of the common set, decimal and hex). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (m, ent: string) => {
    if (ent[0] === '#') {
      const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(cp);
    }
    return NAMED[ent.toLowerCase()] ?? m;
  });
}

/** Plain text of an HTML document (see module doc). Never throws. */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let quoteDepth = 0;
  const quoteStack: string[] = []; // tag names that opened a quote level, so the right close pops it
  const divStack: boolean[] = []; // per open <div>: did it open a quote level (gmail_quote)?
  let skipUntil: string | null = null;

  const flush = (): void => {
    const text = line.replace(/[ \t\u00a0]+/g, ' ').trim();
    lines.push(quoteDepth > 0 ? `${'> '.repeat(quoteDepth)}${text}`.trimEnd() : text);
    line = '';
  };

  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    const chunkEnd = lt === -1 ? n : lt;
    if (skipUntil === null && chunkEnd > i) line += decodeEntities(html.slice(i, chunkEnd).replace(/\s+/g, ' '));
    if (lt === -1) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? n : end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt === -1) break;
    const tag = html.slice(lt + 1, gt);
    i = gt + 1;
    const m = /^\s*(\/?)\s*([a-zA-Z][a-zA-Z0-9]*)/.exec(tag);
    if (!m) continue;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (skipUntil !== null) {
      if (closing && name === skipUntil) skipUntil = null;
      continue;
    }
    if (!closing && SKIP_CONTENT.has(name) && !tag.endsWith('/')) {
      skipUntil = name;
      continue;
    }
    if (name === 'blockquote') {
      flush();
      if (closing) {
        if (quoteStack.length) {
          quoteStack.pop();
          quoteDepth--;
        }
      } else {
        quoteStack.push(name);
        quoteDepth++;
      }
      continue;
    }
    if (name === 'div') {
      flush();
      if (closing) {
        if (divStack.pop() && quoteDepth > 0) quoteDepth--;
      } else {
        const isQuote = /class\s*=\s*["']?[^"'>]*\bgmail_quote\b/i.test(tag);
        divStack.push(isQuote);
        if (isQuote) quoteDepth++;
      }
      continue;
    }
    if (BLOCK.has(name)) {
      flush();
      if (!closing && name === 'li') line = '- ';
      continue;
    }
    if (name === 'td' || name === 'th') {
      if (closing) line += ' ';
      continue;
    }
    if (name === 'img' && !closing) {
      const alt = /\balt\s*=\s*"([^"]*)"/i.exec(tag)?.[1];
      if (alt) line += decodeEntities(alt);
    }
  }
  flush();
  // Collapse runs of blank lines the nesting of block tags produces.
  const out: string[] = [];
  for (const l of lines) {
    const blank = l.replace(/^(> )+/, '').trim() === '';
    if (blank && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(blank ? '' : l);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
