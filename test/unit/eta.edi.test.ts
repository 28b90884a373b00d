/**
 * X12 855/856 reading: hand-written 855s for the ACK statuses (IA, IB, IR — no public 855 file
 * carries IB) and every 855/856 file of ../shared/corpus/edi_x12 (skipped with a reason when the
 * corpus is absent), whose separators and terminators differ ('~', '*', '…', newlines).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ediQuotes } from '../../src/core/eta/edi/quotes';
import { parseX12, x12Date } from '../../src/core/eta/edi/x12';

const isa = 'ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*MERCHANT       *260301*1200*U*00401*000000001*0*P*>~';
const x855 = (lines: string): string =>
  `${isa}GS*PR*SUP*MER*20260301*1200*1*X*004010~ST*855*0001~BAK*00*AC*PO-4711*20260301~DTM*017*20260320~${lines}CTT*2~SE*9*0001~GE*1*1~IEA*1*000000001~`;

describe('X12 855 acknowledgments', () => {
  it('IA with the header date, IB with its own ACK date, IR as unknown', () => {
    const text = x855(
      'PO1*1*10*EA*9.5**SK*MUG-BLK~ACK*IA*10*EA~' +
        'PO1*2*4*EA*12**SK*TEE-M*VP*T-100~ACK*IB*4*EA*068*20260410~' +
        'PO1*3*1*EA*80**SK*PACK-G~ACK*IR*1*EA~',
    );
    const q = ediQuotes(parseX12(text));
    expect(q.map((x) => [x.itemIds.SK, x.status, x.kind, x.date, x.isShipDate, x.poNumber, x.issuedAt])).toEqual([
      ['MUG-BLK', 'IA', 'date', '2026-03-20', false, 'PO-4711', '2026-03-01'],
      ['TEE-M', 'IB', 'date', '2026-04-10', true, 'PO-4711', '2026-03-01'],
      ['PACK-G', 'IR', 'unknown', null, false, 'PO-4711', '2026-03-01'],
    ]);
  });
  it('refuses text without an interchange header', () => {
    expect(() => parseX12('BAK*00*AC*1~')).toThrow(/no ISA/);
  });
  it('reads CCYYMMDD and YYMMDD dates and refuses impossible days', () => {
    expect(x12Date('20260320')).toBe('2026-03-20');
    expect(x12Date('030620')).toBe('2003-06-20');
    expect(x12Date('20260230')).toBeNull();
  });
});

const corpus = path.resolve(import.meta.dirname, '../..', '../shared/corpus/edi_x12');
const has = fs.existsSync(corpus);
if (!has) console.warn(`skipping the EDI corpus tests: ${corpus} is absent`);

describe.skipIf(!has)('X12 corpus files', () => {
  const read = (f: string) => ediQuotes(parseX12(fs.readFileSync(path.join(corpus, f), 'utf8')));
  it('855SSimmons: two acknowledgments, estimated delivery DTM*017 per PO', () => {
    const q = read('OopFactory_855/855SSimmons.txt');
    expect(q.map((x) => [x.poNumber, x.itemIds.VC, x.date])).toEqual([
      ['7542', '64620451', '2011-10-07'],
      ['7542', '51528451', '2011-10-07'],
      ['99035', '54625740', '2011-10-06'],
    ]);
  });
  it('855 Example1_Adobe (newline terminators): no date → unknown', () => {
    const q = read('OopFactory_855/Example1_Adobe.txt');
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ poNumber: '0132710645', kind: 'unknown' });
  });
  it.each([
    ['OopFactory_856/Example1.txt', 3, '2001-04-22', false, '123456'],
    ['OopFactory_856/Example2.txt', 2, '2003-06-20', false, 'B00000389'],
    ['OopFactory_856/Example3.txt', 3, '2005-04-12', true, '5500005194'],
    ['OopFactory_856/Example4.txt', 7, '2011-09-13', false, 'PO NUMBER'],
    ['OopFactory_856/FromGregarican.txt', 1, '2012-05-10', false, 'SO/VINCE1'],
    ['OopFactory_856/edi1Source.txt', 2, '2011-12-06', true, '99999817'],
  ])('%s: %i items, date %s (ship date %s), PO %s', (file, n, date, ship, po) => {
    const q = read(file);
    expect(q).toHaveLength(n);
    for (const x of q) expect(x).toMatchObject({ date, isShipDate: ship, poNumber: po, status: 'SHIPPED' });
    expect(q.every((x) => x.quantity !== null && x.quantity > 0)).toBe(true);
  });
});
