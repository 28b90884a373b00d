/**
 * The FTC second-delay rules (src/core/compliance/ftc.ts), the reading of a customer's answer
 * (src/core/triage/consent.ts) and the consent request's content rule in the validator, table-driven.
 */
import { describe, expect, it } from 'vitest';
import { consentDeadline, consentOverdue, MIN_ANSWER_DAYS, renewedRange, secondDelayReason } from '../../src/core/compliance/ftc';
import { composeDraft } from '../../src/core/drafts/composer';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { draftFactsSchema } from '../../src/core/drafts/facts';
import { validateDraft } from '../../src/core/drafts/validator';
import { triageReply } from '../../src/core/triage/classify';
import { readConsentAnswer } from '../../src/core/triage/consent';

const first = { revisedEnd: '2026-11-20' };

describe('second delay (16 CFR 435.2(b)(2))', () => {
  it.each([
    ['ETA unchanged', { start: '2026-11-16', end: '2026-11-20' }, '2026-11-10', null],
    ['ETA sooner', { start: '2026-11-12', end: '2026-11-15' }, '2026-11-10', null],
    ['ETA later', { start: '2026-12-01', end: '2026-12-04' }, '2026-11-10', 'eta_later'],
    ['no date any more', { start: null, end: null }, '2026-11-10', 'eta_unknown'],
    ['never computed', null, '2026-11-10', null],
    ['the revised date is today', { start: '2026-11-16', end: '2026-11-20' }, '2026-11-20', null],
    ['the revised date passed', { start: '2026-11-16', end: '2026-11-20' }, '2026-11-21', 'date_passed'],
  ] as const)('%s', (_name, eta, today, expected) => {
    expect(secondDelayReason(first, eta, today)).toBe(expected);
  });

  it('the new range is the current ETA while it lies ahead; an ETA already over is no date', () => {
    expect(renewedRange({ start: '2026-12-01', end: '2026-12-04' }, '2026-11-10')).toEqual({ start: '2026-12-01', end: '2026-12-04' });
    expect(renewedRange({ start: '2026-11-16', end: '2026-11-20' }, '2026-11-21')).toBeNull();
    expect(renewedRange({ start: null, end: null }, '2026-11-10')).toBeNull();
  });

  it('the deadline is the end of the new range; without one the old date, but at least a week to answer', () => {
    expect(consentDeadline({ start: '2026-12-01', end: '2026-12-04' }, first, '2026-11-10')).toBe('2026-12-04');
    expect(consentDeadline(null, { revisedEnd: '2026-12-30' }, '2026-11-10')).toBe('2026-12-30');
    expect(consentDeadline(null, first, '2026-11-21')).toBe('2026-11-28');
    expect(MIN_ANSWER_DAYS).toBe(7);
  });

  it('overdue only once the deadline day is over', () => {
    expect(consentOverdue('2026-12-04', '2026-12-04')).toBe(false);
    expect(consentOverdue('2026-12-04', '2026-12-05')).toBe(true);
  });
});

describe('reading the answer to a consent request: only an explicit agreement to wait is consent', () => {
  it.each([
    ["Yes, I'll wait.", 'consent'],
    ['WAIT', 'consent'],
    ['yes', 'consent'],
    ['Yes please, thanks!', 'consent'],
    ["No problem, I'm happy to wait. Thanks for telling me.", 'consent'],
    ["I don't mind waiting, please keep my order.", 'consent'],
    ["That's annoying, but I'll wait.", 'consent'],
    ['Please cancel it.', 'cancel'],
    ['I want my money back', 'cancel'],
    ["I can't wait that long.", 'unclear'],
    ["I'd rather not wait.", 'unclear'],
    ['Can I wait and decide later?', 'unclear'],
    // Triage reads a cancel intent here; a person reads the cancel task, and it is not consent.
    ['Can I wait and still cancel later?', 'cancel'],
    ["I'll wait if it ships before Christmas.", 'unclear'],
    ['Thanks for the update.', 'unclear'],
    ['ok', 'unclear'],
    ['', 'unclear'],
    ["Yes, I'll wait.\n\nOn Thu, Nov 5 Juniper wrote:\n> reply \"cancel\" to cancel now for a full refund", 'consent'],
  ] as const)('%j → %s', (text, expected) => {
    expect(readConsentAnswer(triageReply(text))).toBe(expected);
  });
});

describe('the consent request in the validator', () => {
  const facts: DraftFacts = {
    orderName: '#1001',
    itemName: 'Enamel Mug - Black',
    status: 'backordered',
    nextUpdate: 'by Friday, November 13',
    segments: [],
    etaStart: '2026-12-01',
    etaEnd: '2026-12-04',
    ftc: true,
    consentRequest: true,
    consentDeadline: '2026-12-04',
  };
  const draft = composeDraft('ftc_consent_request', 'email', facts);
  const check = (body: string): string[] => validateDraft({ channel: 'email', subject: draft.subject, text: body, facts }).map((v) => v.rule);

  it('accepts the composed request; its deadline is not a promised date', () => {
    expect(check(draft.body)).toEqual([]);
  });

  it('refuses an edit that drops the choice, the free answer or the deadline', () => {
    expect(check(draft.body.replace(/[^\n]*If we haven't heard[^\n]*/, ''))).toEqual(['ftc_consent']);
    expect(check(draft.body.replace(/Because this is a second delay[^\n]*/, ''))).toContain('ftc_consent');
  });

  it('still refuses a promised single date elsewhere in a consent request', () => {
    expect(check(`${draft.body}\n\nIt will ship on December 4.`)).toContain('promised_date');
  });

  it('the facts schema wants a deadline with a consent request', () => {
    const r = draftFactsSchema.safeParse({ orderName: '#1', itemName: 'Mug', status: 'backordered', nextUpdate: 'soon', consentRequest: true });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/consentDeadline/);
  });
});
