/**
 * HTML mail turned into plain text for reading and classification. A linear scan over tags (no
 * backtracking regexes over the whole document, so a hostile message cannot stall ingest): block
 * elements become line breaks, list items "- ", `<blockquote>` and Gmail's `gmail_quote` container
 * become "> "-prefixed lines so the quoted-history stripper sees them like a plain-text reply, and
 * script, style, head and title content is dropped.
 *
 * Text a mail program does not show is dropped too, because it is not what the customer wrote (or it
 * is what someone hid to steer triage: "I want a <span style="display:none">thanks, all good</span>
 * refund"): HTML comments, and every element hidden by its own attributes — `hidden`,
 * `aria-hidden="true"`, or an inline style with `display:none`, `visibility:hidden`, a zero
 * `font-size` or a zero `opacity` — or by a rule of the message's own `<style>` sheets with one of
 * those declarations whose selector is a single compound of a tag, classes and an id (`.x`, `#y`,
 * `span.x.z`; a list of them too). Sheets are read with postcss-safe-parser, which recovers from
 * broken CSS (an unclosed block) the way a mail program's renderer does, up to 200 sheets and 256 KB
 * of CSS a message. Not applied: rules inside
 * at-rules (`@media` hides on some screens only, so the text is shown on others) and selectors with
 * combinators, attributes or pseudo-classes.
 */
import type { Root } from 'postcss';
import safeParse from 'postcss-safe-parser';

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

/** Elements without content or closing tag: hiding one hides nothing after it. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

const ATTR = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Attributes of a start tag's inside (`span style="…" hidden`), names lower-cased, values decoded. */
function attributesOf(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const start = /^\s*[a-zA-Z][a-zA-Z0-9]*/.exec(tag)?.[0].length ?? 0;
  for (const m of tag.slice(start).matchAll(ATTR)) {
    const name = m[1]!.toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** A zero length or number with an optional unit, then the end of the declaration. */
const ZERO = String.raw`(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|ex|ch|vw|vh|%)?(?:!important)?(?:;|$)`;
const HIDDEN_STYLE = new RegExp(String.raw`(?:^|;)(?:display:none|visibility:hidden|font-size:${ZERO}|opacity:${ZERO})`);

/** Whether CSS declarations (`display: none; color: red`) hide what they apply to. */
function hidingDeclarations(css: string): boolean {
  // Whitespace and CSS comments removed, so "display : none" and "display:/**/none" match too.
  return HIDDEN_STYLE.test(css.toLowerCase().replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ''));
}

/** A selector of a hiding rule: an element matches when it has the tag (if any), every class and the id (if any). */
interface HidingSelector {
  tag: string | null;
  classes: string[];
  id: string | null;
}

/** Selectors of the message's `<style>` rules that hide their elements (see module doc). */
export type HidingSheet = readonly HidingSelector[];

const COMPOUND = /^([a-zA-Z][a-zA-Z0-9]*)?((?:[.#][a-zA-Z_-][\w-]*)+)?$/;

/** One selector of a rule as a {@link HidingSelector}, or null when it is not a single compound. */
function compoundSelector(selector: string): HidingSelector | null {
  const m = COMPOUND.exec(selector.trim());
  if (!m || (!m[1] && !m[2])) return null;
  const parts = m[2]?.match(/[.#][^.#]+/g) ?? [];
  const ids = parts.filter((p) => p.startsWith('#')).map((p) => p.slice(1));
  if (ids.length > 1) return null;
  return { tag: m[1]?.toLowerCase() ?? null, classes: parts.filter((p) => p.startsWith('.')).map((p) => p.slice(1)), id: ids[0] ?? null };
}

/**
 * Most style sheet text and sheets read per message: a mail's own styles are a few kilobytes in one
 * or two sheets; rules past these limits hide nothing.
 */
const MAX_SHEET_CHARS = 256 * 1024;
const MAX_SHEETS = 200;

/** Text of every `<style>` element of `html` outside comments, in one pass (no rescans). */
function styleSheetsOf(html: string): string[] {
  const out: string[] = [];
  const lower = html.toLowerCase();
  let total = 0;
  let i: number;
  let nextComment = lower.indexOf('<!--');
  let nextStyle = lower.indexOf('<style');
  while (nextStyle !== -1 && total < MAX_SHEET_CHARS && out.length < MAX_SHEETS) {
    if (nextComment !== -1 && nextComment < nextStyle) {
      const end = lower.indexOf('-->', nextComment + 4);
      if (end === -1) break;
      i = end + 3;
    } else {
      const gt = lower.indexOf('>', nextStyle);
      if (gt === -1) break;
      const close = lower.indexOf('</style', gt);
      const css = html.slice(gt + 1, close === -1 ? html.length : close);
      out.push(css);
      total += css.length;
      if (close === -1) break;
      i = close + 7;
    }
    if (nextComment !== -1 && nextComment < i) nextComment = lower.indexOf('<!--', i);
    if (nextStyle < i) nextStyle = lower.indexOf('<style', i);
  }
  return out;
}

/** The hiding rules of the message's own style sheets (see module doc). Never throws. */
export function hidingSheet(html: string): HidingSheet {
  const selectors: HidingSelector[] = [];
  for (const css of styleSheetsOf(html)) {
    let root: Root | null = null;
    try {
      const parsed = safeParse(css);
      if (parsed.type === 'root') root = parsed;
    } catch {
      // Not expected from the safe parser; such a sheet hides nothing.
    }
    if (!root) continue;
    for (const node of root.nodes) {
      // Top-level rules only: one inside @media applies on some screens, not all.
      if (node.type !== 'rule') continue;
      const declarations = node.nodes.flatMap((d) => (d.type === 'decl' ? [`${d.prop}:${d.value}${d.important ? '!important' : ''}`] : []));
      if (!hidingDeclarations(declarations.join(';'))) continue;
      for (const selector of node.selectors) {
        const compound = compoundSelector(selector);
        if (compound) selectors.push(compound);
      }
    }
  }
  return selectors;
}

/** Whether a start tag hides its element from the reader (see module doc), given the message's `sheet`. */
export function hidesElement(tag: string, sheet: HidingSheet = []): boolean {
  // The common case, no attribute parsing: nothing could hide the element.
  if (sheet.length === 0 && !/hidden|style/i.test(tag)) return false;
  const attrs = attributesOf(tag);
  if (attrs.has('hidden')) return true;
  if (attrs.get('aria-hidden')?.trim().toLowerCase() === 'true') return true;
  if (hidingDeclarations(attrs.get('style') ?? '')) return true;
  if (sheet.length === 0) return false;
  const name = /^\s*([a-zA-Z][a-zA-Z0-9]*)/.exec(tag)?.[1]?.toLowerCase() ?? '';
  const classes = new Set((attrs.get('class') ?? '').split(/\s+/).filter(Boolean));
  const id = attrs.get('id') ?? null;
  return sheet.some((s) => (s.tag === null || s.tag === name) && (s.id === null || s.id === id) && s.classes.every((c) => classes.has(c)));
}

/** Plain text of an HTML document (see module doc). Never throws. */
export function htmlToText(html: string): string {
  const sheet = hidingSheet(html);
  const lines: string[] = [];
  let line = '';
  let quoteDepth = 0;
  const quoteStack: string[] = []; // tag names that opened a quote level, so the right close pops it
  const divStack: boolean[] = []; // per open <div>: did it open a quote level (gmail_quote)?
  let skipUntil: string | null = null;
  // A hidden element being skipped: its name and how many of that name are open inside it, so
  // `<div hidden><div>…</div>still hidden</div>` ends at the right close.
  let hidden: { name: string; depth: number } | null = null;

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
    if (skipUntil === null && hidden === null && chunkEnd > i) line += decodeEntities(html.slice(i, chunkEnd).replace(/\s+/g, ' '));
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
    if (hidden !== null) {
      if (name === hidden.name && !VOID.has(name)) {
        if (closing) hidden.depth--;
        else if (!tag.endsWith('/')) hidden.depth++;
        if (hidden.depth === 0) hidden = null;
      }
      continue;
    }
    if (!closing && hidesElement(tag, sheet)) {
      // A hidden void element (an <img> with alt text) just contributes nothing.
      if (!VOID.has(name) && !tag.endsWith('/')) hidden = { name, depth: 1 };
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
