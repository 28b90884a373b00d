import { describe, expect, it } from 'vitest';
import { triageReply } from '../../src/core/triage/classify';
import { replyEscalations } from '../../src/core/triage/escalate';
import { defaultSequenceRules, evaluateSequence, type BackorderFacts } from '../../src/core/sequence/engine';
import { standardBackorderFlow } from '../../src/core/sequence/flow';

const base: BackorderFacts = {
  segments: [],
  orderValueMinor: 5000,
  supplierConfirmed: false,
  etaShifted: false,
  alternativeAvailable: false,
  etaEndInDays: null,
  partialShipmentPossible: false,
  replyNegative: false,
  replyWantsCall: false,
};

describe('replyEscalations (the flow\'s reply steps)', () => {
  it.each([
    ['This is unacceptable.', ['negative_reply']],
    ['Call me on 555-201-3344, I am not happy.', ['callback_requested', 'negative_reply']],
    ['Please cancel it.', ['cancel_requested']],
    ["I'll take the green one instead.", ['swap_item']],
    ['New address: please ship it to 4 Elm St, Portland 97201.', ['address_change']],
    ['Thanks, happy to wait!', []],
    ['When will it ship?', []],
  ])('%s → %j (highest priority first)', (text, kinds) => {
    expect(replyEscalations(standardBackorderFlow, triageReply(text), base, defaultSequenceRules).map((e) => e.task)).toEqual(kinds);
  });

  it('every reply escalation pauses the sequence; a callback has priority 2', () => {
    const es = replyEscalations(standardBackorderFlow, triageReply('Call me, this is ridiculous, cancel it'), base, defaultSequenceRules);
    expect(es.map((e) => [e.task, e.priority, e.pause])).toEqual([
      ['callback_requested', 2, true],
      ['negative_reply', 1, true],
      ['cancel_requested', 1, true],
    ]);
  });

  it('switched-off rules open nothing', () => {
    const rules = { ...defaultSequenceRules, disabledTasks: ['negative_reply', 'callback_requested'] as const };
    expect(replyEscalations(standardBackorderFlow, triageReply('Call me, this is ridiculous'), base, rules)).toEqual([]);
  });
});

describe('escalation switches in the tick engine', () => {
  const day14 = (disabled: readonly string[]) =>
    evaluateSequence(
      standardBackorderFlow,
      { backorderId: 1, openedAt: '2026-01-01T00:00:00Z', closedAt: null, paused: false, recorded: new Set(['initial_notice', 'day3_update', 'day7_update']), events: [], facts: { ...base, orderValueMinor: 90_000, segments: ['vip', 'high_value'] } },
      { ...defaultSequenceRules, disabledTasks: disabled as never },
      '2026-01-15T01:00:00Z',
    ).find((d) => d.stepId === 'day14_update');

  it('on: a high-value VIP order gets tasks and no cancel offer', () => {
    const d = day14([]);
    expect(d?.outcome === 'act' && d.actions.map((a) => (a.type === 'escalate' ? a.task : a.template))).toEqual(['high_value_cancellation', 'vip_personal_outreach']);
  });

  it('high-value rule off: the day-14 cancel offer goes out like for any order; VIP rule off: no outreach task', () => {
    const d = day14(['high_value_cancellation', 'vip_personal_outreach']);
    expect(d?.outcome === 'act' && d.actions.map((a) => (a.type === 'escalate' ? a.task : a.template))).toEqual(['day14_update']);
  });
});
