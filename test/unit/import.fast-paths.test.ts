/**
 * The importer's fast paths give exactly what the general code gives: the CSV scanner what csv-parse
 * gives (or nothing, so csv-parse reads the file), and the instant parsers what Luxon gives.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseRecords, readCsv, scanWellFormedCsv } from '../../src/main/import/shopify-csv/csv';
import { CellError, instantMillis, parseShopifyInstant } from '../../src/main/import/shopify-csv/values';

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % n;
  };
}

describe('CSV scanner', () => {
  const wellFormed = [
    'Name,Email\n#1,a@b.c\n',
    'Name,Email\r\n#1,a@b.c\r\n#2,\r\n',
    'a,b\n\n\nc,d',
    'a,"b, with comma"\n"multi\nline\r\nfield",x\n',
    'a,"say ""hi"""\n"",""\n',
    'a,\n,\n,,,\n',
    'a,"b"',
    'only a header',
    '\n\nName\n',
    'é,😀,"😀\n"\n',
    'x,"\r"\n',
  ];

  it.each(wellFormed)('reads %j exactly as csv-parse does', (text) => {
    const scanned = scanWellFormedCsv(text);
    expect(scanned).not.toBeNull();
    const parsed = parseRecords('f.csv', text);
    expect(parsed.refused).toEqual([]);
    expect(scanned).toEqual(parsed.records);
  });

  const irregular = [
    'a,b"c\n', // a quote inside an unquoted field
    'a,"b"c\n', // text after a closing quote
    'a,"never closed\n',
    'a\rb\r', // old Mac line endings
    'a\nb\r\nc\n', // mixed line endings
    'a\r\nb\nc\r\n',
    'a,b\rc\n', // a stray CR
    'a,\uD800\n', // an unpaired surrogate
  ];

  it.each(irregular)('leaves %j to csv-parse', (text) => {
    expect(scanWellFormedCsv(text)).toBeNull();
  });

  it('agrees with csv-parse on every file it reads (random files)', () => {
    const r = random(7);
    const pieces = ['a', 'b ', ',', ',', '"', '""', '\n', '\n', '\r\n', '\r', 'é', '😀', 'a long enough value'];
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const n = 1 + r(20);
      for (let k = 0; k < n; k++) text += pieces[r(pieces.length)];
      const scanned = scanWellFormedCsv(text);
      if (scanned === null) continue;
      read++;
      const parsed = parseRecords('f.csv', text);
      expect(parsed.refused, JSON.stringify(text)).toEqual([]);
      expect(scanned, JSON.stringify(text)).toEqual(parsed.records);
    }
    expect(read).toBeGreaterThan(1000);
  });

  it('gives the same table whichever reader read the file', () => {
    const text = 'Name,Email,Note\r\n#1,a@b.c,"two\r\nlines"\r\n\r\n#2,,\r\n,,\r\n#3,x@y.z,,,\r\n';
    const table = readCsv('orders.csv', text);
    expect(table.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, '#1', 'a@b.c', 'two\r\nlines'],
      [5, '#2'],
      [7, '#3', 'x@y.z'],
    ]);
    expect(table.refused).toEqual([]);
    // The same file with a stray quote goes through csv-parse, and rows keep their lines.
    const odd = readCsv('orders.csv', text.replace('#2', '#"2'));
    expect(odd.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, '#1', 'a@b.c', 'two\r\nlines'],
      [5, '#"2'],
      [7, '#3', 'x@y.z'],
    ]);
  });
});

describe('instant fast paths', () => {
  const luxon = (raw: string): string => {
    const value = raw.trim();
    let dt = DateTime.fromFormat(value, 'yyyy-MM-dd HH:mm:ss ZZZ', { setZone: true });
    if (!dt.isValid && /^\d{4}-\d\d-\d\dT.*(Z|[+-]\d\d:?\d\d)$/.test(value)) dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid) throw new CellError('invalid');
    return dt.toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
  };
  const outcome = (f: () => string | number): string => {
    try {
      return String(f());
    } catch (err) {
      return err instanceof CellError ? 'refused' : `threw ${String(err)}`;
    }
  };

  it('parses Shopify timestamps as Luxon does, invalid ones included', () => {
    const r = random(11);
    const two = (n: number): string => String(n).padStart(2, '0');
    const cells = [
      '2025-05-11 09:55:16 -0400', '2025-05-11 09:55:16 -0000', '2024-02-29 23:59:59 +1400', '2023-02-29 10:00:00 +0000',
      '2025-05-11 24:00:00 +0000', '0999-01-01 00:00:00 +0000', '2025-05-11T09:55:16Z', '2025-05-11 09:55:16 +0575',
    ];
    for (let i = 0; i < 5000; i++) {
      const year = [999, 1900, 2000, 2024, 2100, 9999][r(6)];
      const offset = `${r(2) ? '+' : '-'}${two([0, 5, 12, 14, 18, 19, 99][r(7)]!)}${two([0, 30, 59, 60][r(4)]!)}`;
      cells.push(`${year}-${two(r(14))}-${two(r(33))} ${two(r(26))}:${two(r(62))}:${two(r(62))} ${offset}`);
    }
    for (const cell of cells) expect(outcome(() => parseShopifyInstant(cell)), cell).toBe(outcome(() => luxon(cell)));
  });

  it('reads stored instants as Luxon does', () => {
    const instants = [
      '2025-05-11T09:55:16-04:00', '2025-05-11T09:55:16+00:00', '2024-02-29T23:59:59+14:00', '2023-02-29T10:00:00+00:00',
      '2025-05-11T24:00:00+00:00', '2025-05-11T09:55:16.250Z', '2025-05-11', 'not a date',
    ];
    for (const iso of instants) {
      expect(outcome(() => instantMillis(iso)), iso).toBe(outcome(() => DateTime.fromISO(iso, { setZone: true }).toMillis()));
    }
  });
});
