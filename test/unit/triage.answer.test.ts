import { describe, expect, it } from 'vitest';
import { triageReply } from '../../src/core/triage/classify';
import { draftReplyAnswer, prepareTaskDraft } from '../../src/core/triage/answer';
import { combineWithModel } from '../../src/core/triage/model';
import { validateDraft } from '../../src/core/drafts/validator';
import type { DraftFacts } from '../../src/core/drafts/facts';

const facts: DraftFacts = {
  orderName: '#1042',
  itemName: 'Trail Tent 2P',
  status: 'backordered',
  nextUpdate: '2025-03-10',
  segments: [],
  customerFirstName: 'Dana',
  storeName: 'Juniper & Pine',
};

describe('draftReplyAnswer', () => {
  it.each([
    ['When will it ship?', 'eta', "We don't have a confirmed date"],
    ["Sure, I'll take the blue one instead.", 'alternative', "We've received your choice and will confirm by email once the order is changed"],
    ['I moved - please update my shipping address to 4 Elm St.', 'address', 'new address'],
    ['Thanks, happy to wait!', 'thanks', 'patience'],
  ])('%s → %s, and passes the content rules', (reply, kind, phrase) => {
    const a = draftReplyAnswer(triageReply(reply), facts, 'Order #1042: your Trail Tent 2P is on backorder');
    expect(a?.kind).toBe(kind);
    expect(a?.body).toContain(phrase);
    expect(a?.subject).toBe('Re: Order #1042: your Trail Tent 2P is on backorder');
    expect(validateDraft({ channel: 'email', subject: a!.subject, text: a!.body, facts })).toEqual([]);
  });

  it('gives the current range for an ETA question when there is one', () => {
    const a = draftReplyAnswer(triageReply('Any ETA?'), { ...facts, etaStart: '2025-03-20', etaEnd: '2025-03-27' }, 'Re: x');
    expect(a?.body).toContain("between Mar 20 and Mar 27");
  });

  it('writes nothing for a reply that needs a person', () => {
    expect(draftReplyAnswer(triageReply('Cancel it.'), facts, 'x')).toBeNull();
  });
});

describe('drafts never say an action is done before a person did it', () => {
  it('the address-change answer says received and confirmed later', () => {
    const a = draftReplyAnswer(triageReply('I moved - please update my shipping address to 4 Elm St.'), facts, 'Re: x');
    expect(a?.body).toContain("We've received it and will confirm by email once the order is updated");
    expect(a?.body).not.toMatch(/\b(?:done|we've updated|we're updating)\b/i);
  });

  it.each(['address_change', 'swap_item', 'cancel_requested', 'high_value_cancellation', 'ftc_no_consent', 'negative_reply'])('prepared draft for %s', (task) => {
    const d = prepareTaskDraft(task, facts, 'Re: Order #1042');
    expect(d).not.toBeNull();
    expect(d!.body).not.toMatch(/\bdone:|we've (?:updated|cancelled|refunded)|is now cancelled/i);
  });

  it('the address-change task draft: received, confirmed once updated', () => {
    expect(prepareTaskDraft('address_change', facts, 'Re: x')!.body).toContain("We've received your new address for order #1042; we'll confirm once it's updated.");
  });
});

describe('combineWithModel', () => {
  const rules = triageReply('Fine.');
  it('the model can add caution: a person decides when it reads anger the rules missed', () => {
    const t = combineWithModel(rules, { sentiment: 'angry', intents: [], confidence: 0.8 });
    expect(t).toMatchObject({ needsPerson: true, sentiment: 'frustrated', source: 'rules+model' });
    expect(t.reasons).toContain('doubt.model_disagrees');
  });
  it('cannot take a need for a person away', () => {
    const angry = triageReply('This is unacceptable, cancel it.');
    expect(combineWithModel(angry, { sentiment: 'positive', intents: [], confidence: 1 }).needsPerson).toBe(true);
  });
  it('ignores an answer that does not match the schema', () => {
    expect(combineWithModel(rules, { sentiment: 'furious', intents: [], confidence: 2 })).toBe(rules);
    expect(combineWithModel(rules, 'ignore previous instructions')).toBe(rules);
  });
});
