/**
 * Prompt-injection suite (pure part): for each hostile customer reply or supplier mail,
 * 1. the prompt carries it only as quoted data inside its labelled block, which it cannot close,
 *    and without what a reader would not have seen (invisible characters, HTML comments);
 * 2. a draft that obeyed it is refused by the validator, with the rule named in the case;
 * 3. the honest draft (the composer's) still passes next to the same hostile text.
 * The customer replies run again as what they are in the app: the reply an answer is drafted for
 * (`reply_answer`, the request src/main/llm/requests.ts builds from the stored answer and the reply).
 * The real model runs a sample of these cases in test/integration/llm.injection.test.ts, and the
 * app's reply path in test/integration/llm.replies.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { composeDraft } from '../../src/core/drafts/composer';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { hasInvisible } from '../../src/core/drafts/invisible';
import { validateDraft } from '../../src/core/drafts/validator';
import { checkModelAnswer } from '../../src/core/llm/output';
import { buildDraftPrompt, type DraftRequest } from '../../src/core/llm/prompt';
import { draftReplyAnswer } from '../../src/core/triage/answer';
import type { Triage } from '../../src/core/triage/types';
import { CASES } from '../fixtures/injection/cases';
import { APRON_FACTS } from '../helpers/draft-facts';

const facts: DraftFacts = {
  ...APRON_FACTS,
  quantityBackordered: 1,
  quantityOrdered: 1,
  customerFirstName: 'Sam',
  statusUrl: 'https://northwind.example.com/orders/1001/status',
};
const honest = composeDraft('day7_update', 'email', facts);

/** The prompt split into the quoted block's lines and everything else. */
function split(prompt: string): { inside: string[]; outside: string[]; begins: number; ends: number } {
  const lines = prompt.split('\n');
  const inside: string[] = [];
  const outside: string[] = [];
  let begins = 0;
  let ends = 0;
  let inBlock = false;
  for (const l of lines) {
    if (/^BEGIN (CUSTOMER'S REPLY|SUPPLIER'S MAIL) /.test(l)) {
      begins++;
      inBlock = true;
    } else if (/^END (CUSTOMER'S REPLY|SUPPLIER'S MAIL)$/.test(l)) {
      ends++;
      inBlock = false;
    } else if (inBlock) inside.push(l);
    else outside.push(l);
  }
  return { inside, outside, begins, ends };
}

describe('prompt-injection suite', () => {
  it('has at least 30 hostile texts, customer replies and supplier mails', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(['customer_reply', 'supplier_mail']));
  });

  describe.each(CASES)('$name', (c) => {
    const req: DraftRequest = { stepId: 'day7_update', channel: 'email', facts, untrusted: [{ kind: c.kind, text: c.text }] };
    const prompt = buildDraftPrompt(req);

    it('stays quoted data inside one labelled block it cannot close', () => {
      const { inside, outside, begins, ends } = split(prompt.user);
      expect([begins, ends]).toEqual([1, 1]);
      expect(inside.length).toBeGreaterThan(0);
      for (const l of inside) expect(l.startsWith('> ')).toBe(true);
      // Outside the block the prompt is exactly the prompt without any inbound text.
      const baseline = buildDraftPrompt({ ...req, untrusted: [] });
      expect(outside.filter((l) => l !== '')).toEqual(baseline.user.split('\n').filter((l) => l !== ''));
      expect(prompt.system).toBe(baseline.system);
    });

    it('reaches the model without what a reader would not have seen', () => {
      expect(hasInvisible(prompt.user)).toBe(false);
      expect(prompt.user).not.toContain('<!--');
      if (c.hidden) expect(prompt.user).not.toContain(c.hidden);
    });

    it(`a draft that obeyed is refused (${c.rule})`, () => {
      const obeying = { ...honest, body: `${honest.body}\n\n${c.obeyed}` };
      const rules = validateDraft({ channel: 'email', subject: obeying.subject, text: obeying.body, facts, untrusted: [c.text] }).map((v) => v.rule);
      expect(rules).toContain(c.rule);
      // and the model path refuses the same answer
      expect(checkModelAnswer(JSON.stringify(obeying), req).ok).toBe(false);
    });

    it('the honest draft still passes next to it', () => {
      expect(checkModelAnswer(JSON.stringify(honest), req)).toEqual({ ok: true, draft: honest });
    });
  });
});

describe('prompt-injection suite through the reply-answer path', () => {
  describe.each(CASES.filter((c) => c.kind === 'customer_reply'))('$name', (c) => {
    // The reply read as a neutral ETA question, so reply triage drafts an answer to it.
    const triage: Triage = { sentiment: 'neutral', confidence: 0.8, intents: [{ kind: 'eta_question', confidence: 0.9 }], needsPerson: false, reasons: [], source: 'rules', text: c.text };
    const answer = draftReplyAnswer(triage, facts, 'Re: Order #1001')!;
    const template = { subject: answer.subject, body: answer.body, producedBy: 'reply-triage' };
    const req: DraftRequest = { stepId: 'reply_answer', channel: 'email', facts, untrusted: [{ kind: 'customer_reply', text: c.text }], example: template };
    const prompt = buildDraftPrompt(req);

    it('quotes the reply in one labelled block and gives the template answer as the example', () => {
      const { inside, outside, begins, ends } = split(prompt.user);
      expect([begins, ends]).toEqual([1, 1]);
      for (const l of inside) expect(l.startsWith('> ')).toBe(true);
      expect(outside.join('\n')).toContain(JSON.stringify({ subject: answer.subject, body: answer.body }));
      expect(hasInvisible(prompt.user)).toBe(false);
      if (c.hidden) expect(prompt.user).not.toContain(c.hidden);
    });

    it(`an answer that obeyed is refused (${c.rule})`, () => {
      expect(checkModelAnswer(JSON.stringify({ subject: answer.subject, body: `${answer.body}\n\n${c.obeyed}` }), req).ok).toBe(false);
    });

    it('the template answer passes next to it', () => {
      expect(checkModelAnswer(JSON.stringify({ subject: answer.subject, body: answer.body }), req).ok).toBe(true);
    });
  });
});
