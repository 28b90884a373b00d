import { describe, expect, it } from 'vitest';
import { composeDraft } from '../../src/core/drafts/composer';
import type { DraftFacts } from '../../src/core/drafts/facts';
import { validateDraft } from '../../src/core/drafts/validator';

const base: DraftFacts = { orderName: '#3267', itemName: 'Juniper 2 Ultralight Tent - Moss', status: 'backordered', nextUpdate: 'by Thursday, December 3', segments: [] };

describe('waiting time is told as it is', () => {
  it.each([
    { age: 0, expect: "letting you know right away", not: 'told you sooner' },
    { age: 2, expect: "letting you know right away", not: 'told you sooner' },
    { age: 38, expect: 'should have told you sooner', not: 'right away' },
  ])('initial notice for an order $age days old', ({ age, expect: phrase, not }) => {
    const d = composeDraft('initial_notice', 'email', { ...base, orderAgeDays: age });
    expect(d.body).toContain(phrase);
    expect(d.body).not.toContain(not);
    expect(validateDraft({ channel: 'email', subject: d.subject, text: d.body, facts: { ...base, orderAgeDays: age } })).toEqual([]);
  });

  it('day 7 and day 14 count the real days since the order', () => {
    const f = { ...base, orderAgeDays: 38 };
    expect(composeDraft('day7_update', 'email', f).body).toContain("It's been 38 days since you ordered");
    expect(composeDraft('day14_update', 'email', f).body).toContain("It's been 38 days since you ordered");
    expect(composeDraft('day7_update', 'email', base).body).toContain("It's been a week since you ordered");
  });
});
