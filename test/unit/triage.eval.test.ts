import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { triageReply } from '../../src/core/triage/classify';
import { evaluate, parseLabel, readLabelledFile } from '../../src/core/triage/eval';
import { builtinLexicon } from '../../src/core/triage/lexicon';

const classify = (text: string) => triageReply(text, { signals: [builtinLexicon] });
const FIXTURE = path.resolve(__dirname, '../fixtures/triage/backorder_replies.csv');
const UCI = path.resolve(__dirname, '../../../shared/corpus/support_sentiment/uci_sentiment_labelled_sentences');

describe('readLabelledFile', () => {
  it('reads a CSV with a header, quoted multi-line text and extra columns', () => {
    const f = readLabelledFile('id,text,label,split\n1,"Hi,\n""quoted""",negative,tune\n2,ok,Neutral,x\n3,,positive,y\n4,meh,maybe,z\n', 'a.csv');
    expect(f.headerless).toBe(false);
    expect(f.rows.map((r) => [r.text, r.label, r.line, r.columns.split])).toEqual([
      ['Hi,\n"quoted"', 'negative', 2, 'tune'],
      ['ok', 'neutral', 4, 'x'],
    ]);
    expect(f.skipped.map((s) => s.reason)).toEqual(['empty text', 'unknown label "maybe"']);
  });

  it('reads a headerless TSV (UCI layout): label is the last field, quotes are text', () => {
    const f = readLabelledFile('"Great" phone.\t1\nBattery died\tfast.\t0\n\n', 'x_labelled.txt');
    expect(f.headerless).toBe(true);
    expect(f.rows.map((r) => [r.text, r.label])).toEqual([
      ['"Great" phone.', 'positive'],
      ['Battery died\tfast.', 'negative'],
    ]);
  });

  it('reads a TSV with a header', () => {
    const f = readLabelledFile('label\ttext\n0\tbad\n', 'a.tsv');
    expect(f.rows.map((r) => [r.text, r.label])).toEqual([['bad', 'negative']]);
  });

  it.each([['1', 'positive'], ['0', 'negative'], ['POS', 'positive'], ['neutral', 'neutral'], ['2', null]])('parseLabel(%s)', (raw, label) => {
    expect(parseLabel(raw)).toBe(label);
  });
});

describe('evaluate', () => {
  it('computes precision, recall and accuracy of "needs a person"', () => {
    const rows = readLabelledFile('text,label\nawful,negative\nfine,positive\nok,negative\nugh,positive\n', 'a.csv').rows;
    const r = evaluate(rows, (t) => ({ needsPerson: t === 'awful' || t === 'ugh', sentiment: 'neutral' }));
    expect(r).toMatchObject({ n: 4, tp: 1, fp: 1, fn: 1, needsPersonPrecision: 0.5, needsPersonRecall: 0.5, accuracy: 0.5 });
  });

  it('three-class files compare positive and neutral too', () => {
    const rows = readLabelledFile('text,label\na,neutral\nb,positive\n', 'a.csv').rows;
    const r = evaluate(rows, () => ({ needsPerson: false, sentiment: 'positive' }));
    expect(r.accuracy).toBe(0.5);
    expect(r.needsPersonPrecision).toBeNull();
  });
});

describe('the issue goal on the backorder replies (no model)', () => {
  const rows = readLabelledFile(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE).rows;
  it('has 60+ labelled replies in both halves', () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r.columns.split))).toEqual(new Set(['tune', 'holdout']));
  });
  it.each(['tune', 'holdout'])('%s half: recall ≥ 0.95, precision ≥ 0.80', (split) => {
    const r = evaluate(rows.filter((x) => x.columns.split === split), classify);
    expect(r.needsPersonRecall).toBeGreaterThanOrEqual(0.95);
    expect(r.needsPersonPrecision).toBeGreaterThanOrEqual(0.8);
  });
});

describe.skipIf(!fs.existsSync(UCI))('public data the rules were not tuned on (UCI sentiment labelled sentences)', () => {
  if (!fs.existsSync(UCI)) console.log(`skipped: ${UCI} is absent (a fresh clone without ../shared/corpus)`);
  it.each(['amazon_cells_labelled.txt', 'yelp_labelled.txt'])('%s: precision stays high', (name) => {
    const file = path.join(UCI, name);
    const r = evaluate(readLabelledFile(fs.readFileSync(file, 'utf8'), file).rows, classify);
    expect(r.n).toBe(1000);
    // Floors a little under the figures in the README, so a regression shows.
    expect(r.needsPersonPrecision).toBeGreaterThanOrEqual(0.85);
    expect(r.needsPersonRecall).toBeGreaterThanOrEqual(0.4);
  });
});
