import { describe, expect, it } from 'vitest';
import { guessSheetMapping, parseMappingSpec, parseSheetDate, readSheetTable } from '../../src/core/eta/sheet';

describe('supplier sheet dates', () => {
  it.each<[string, 'en-US' | 'en-GB' | null, string | RegExp]>([
    ['2026-12-01', null, '2026-12-01'],
    ['2026-12-01T00:00:00Z', null, '2026-12-01'],
    ['12/01/2026', 'en-US', '2026-12-01'],
    ['12/01/2026', 'en-GB', '2026-01-12'],
    ['12-01-26', 'en-US', '2026-12-01'],
    ['01.12.2026', 'en-US', '2026-12-01'], // a dotted date is day.month whatever the locale
    ['13/01/2026', null, '2026-01-13'], // only one reading exists
    ['01/13/2026', null, '2026-01-13'],
    ['05/05/2026', null, '2026-05-05'],
    ['03/04/2026', null, /month\/day or day\/month/],
    ['1 Dec 2026', null, '2026-12-01'],
    ['1st December 2026', null, '2026-12-01'],
    ['Sept 3, 2026', null, '2026-09-03'],
    ['Dec 1 2026', null, '2026-12-01'],
    ['2026-02-30', null, /not a calendar day/],
    ['31/02/2026', 'en-GB', /not a calendar day/],
    ['next week', null, /not a date/],
    ['', null, /not a date/],
  ])('%s (%s)', (raw, locale, want) => {
    const r = parseSheetDate(raw, locale);
    if (typeof want === 'string') expect(r).toEqual({ ok: true, day: want });
    else expect(r.ok ? r.day : r.error).toMatch(want);
  });
});

describe('supplier sheet columns', () => {
  it('guesses common headers and refuses a header without SKU or date', () => {
    expect(guessSheetMapping(['PO #', 'Item No.', 'Description', 'Qty', 'ETD'])).toEqual({ sku: 'Item No.', date: 'ETD', quantity: 'Qty', po: 'PO #' });
    expect(guessSheetMapping(['SKU', 'ETA from', 'ETA to'])).toEqual({ sku: 'SKU', date: 'ETA from', dateEnd: 'ETA to' });
    expect(guessSheetMapping(['Description', 'Price'])).toBeNull();
  });

  it('parses --map and refuses a malformed one', () => {
    expect(parseMappingSpec('sku=Item,date=ETA,end=ETA to,qty=Open,po=PO')).toEqual({ sku: 'Item', date: 'ETA', dateEnd: 'ETA to', quantity: 'Open', po: 'PO' });
    expect(() => parseMappingSpec('sku=Item')).toThrow(/needs at least sku=… and date=…/);
    expect(() => parseMappingSpec('colour=Red,sku=A,date=B')).toThrow(/"colour=Red"/);
  });

  it('names a mapped column missing from the header, and a range ending before it starts', () => {
    const missing = readSheetTable('s.csv', [['Item', 'When']], { mapping: { sku: 'SKU', date: 'When' }, locale: null });
    expect(missing.problems).toEqual([{ file: 's.csv', line: 1, column: 'SKU', message: expect.stringMatching(/no column "SKU" for the SKU/) }]);
    const r = readSheetTable('s.csv', [['SKU', 'From', 'To'], ['A-1', '2026-12-05', '2026-12-01'], ['', '', ''], ['A-2', '2026-12-05', '']], { mapping: { sku: 'SKU', date: 'From', dateEnd: 'To' }, locale: null, lines: [1, 2, 3, 5] });
    expect(r.problems).toEqual([{ file: 's.csv', line: 2, column: 'To', message: '2026-12-01 is before the start 2026-12-05' }]);
    expect(r.rows).toEqual([{ line: 5, sku: 'A-2', quantity: null, start: '2026-12-05', end: '2026-12-05', poNumber: null }]);
  });
});
