import { describe, expect, it } from 'vitest';
import { defaultSequenceRules, evaluateSequence, nextTimelineStep, type BackorderFacts, type BackorderSnapshot } from '../../src/core/sequence/engine';
import { standardBackorderFlow as flow, type SequenceFlow } from '../../src/core/sequence/flow';

const OPENED = '2026-11-02T15:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(OPENED) + hours * 3_600_000).toISOString();
const facts = (f: Partial<BackorderFacts> = {}): BackorderFacts => ({
  segments: [], orderValueMinor: 10_000, supplierConfirmed: false, etaShifted: false, alternativeAvailable: false,
  etaEndInDays: null, partialShipmentPossible: false, replyNegative: false, replyWantsCall: false, ...f,
});
const snap = (s: Partial<BackorderSnapshot> = {}): BackorderSnapshot => ({
  backorderId: 1, openedAt: OPENED, closedAt: null, paused: false, recorded: new Set(), events: [], facts: facts(), ...s,
});
const acting = (d: ReturnType<typeof evaluateSequence>) => d.filter((x) => x.outcome === 'act').map((x) => x.stepId);

describe('sequence engine: Standard Backorder Flow', () => {
  const table: { name: string; b: BackorderSnapshot; now: string; act: string[]; superseded?: string[] }[] = [
    { name: 'hour 0: initial notice', b: snap(), now: at(0), act: ['initial_notice'] },
    { name: 'before day 3 nothing more', b: snap({ recorded: new Set(['initial_notice']) }), now: at(71.9), act: [] },
    { name: 'day 3', b: snap({ recorded: new Set(['initial_notice']) }), now: at(72), act: ['day3_update'] },
    { name: 'day 7', b: snap({ recorded: new Set(['initial_notice', 'day3_update']) }), now: at(24 * 7 + 1), act: ['day7_update'] },
    {
      name: 'slept from hour 0 to day 8: only the newest step acts',
      b: snap(), now: at(24 * 8), act: ['day7_update'], superseded: ['initial_notice', 'day3_update'],
    },
    {
      name: 'day 14 normal order: cancel offer drafted',
      b: snap({ recorded: new Set(['initial_notice', 'day3_update', 'day7_update']) }), now: at(24 * 14), act: ['day14_update'],
    },
    { name: 'closed backorder: no timeline steps', b: snap({ closedAt: at(10) }), now: at(24 * 20), act: [] },
    {
      name: 'restocked: restock notice even when paused',
      b: snap({ closedAt: at(30), paused: true, recorded: new Set(['initial_notice']), events: [{ kind: 'restocked', at: at(30) }], facts: facts({ customerContacted: true }) }),
      now: at(31), act: ['restock_notice'],
    },
    {
      name: 'restocked and shipped while asleep: only the shipping confirmation',
      b: snap({ closedAt: at(30), recorded: new Set(['initial_notice']), events: [{ kind: 'restocked', at: at(30) }, { kind: 'fulfilled', at: at(40) }], facts: facts({ customerContacted: true }) }),
      now: at(50), act: ['shipped_confirmation'], superseded: ['restock_notice'],
    },
    {
      name: 'restocked before any message went out: no restock notice',
      b: snap({ closedAt: at(0.5), recorded: new Set(['initial_notice']), events: [{ kind: 'restocked', at: at(0.5) }], facts: facts({ customerContacted: false }) }),
      now: at(1), act: [],
    },
    {
      name: 'restocked and shipped, never told about the backorder: no shipping confirmation',
      b: snap({ closedAt: at(30), recorded: new Set(['initial_notice']), events: [{ kind: 'restocked', at: at(30) }, { kind: 'fulfilled', at: at(40) }] }),
      now: at(50), act: [],
    },
    { name: 'paused: timeline waits', b: snap({ paused: true, recorded: new Set(['initial_notice']) }), now: at(100), act: [] },
    { name: 'ETA beyond 30 days escalates', b: snap({ recorded: new Set(['initial_notice']), facts: facts({ etaEndInDays: 45 }) }), now: at(1), act: ['eta_beyond_limit'] },
    { name: 'ETA of 30 days does not', b: snap({ recorded: new Set(['initial_notice']), facts: facts({ etaEndInDays: 30 }) }), now: at(1), act: [] },
    { name: 'negative reply escalates', b: snap({ recorded: new Set(['initial_notice']), events: [{ kind: 'reply', at: at(5) }], facts: facts({ replyNegative: true }) }), now: at(6), act: ['negative_reply'] },
    { name: 'neutral reply does not', b: snap({ recorded: new Set(['initial_notice']), events: [{ kind: 'reply', at: at(5) }] }), now: at(6), act: [] },
    { name: 'ETA change with a real shift', b: snap({ recorded: new Set(['initial_notice']), events: [{ kind: 'eta_changed', at: at(20) }], facts: facts({ etaShifted: true }) }), now: at(21), act: ['eta_change_update'] },
    { name: 'partial shipment possible escalates', b: snap({ recorded: new Set(['initial_notice']), facts: facts({ partialShipmentPossible: true }) }), now: at(2), act: ['partial_shipment'] },
    {
      name: 'US store, second delay: the consent request replaces the ETA-change update',
      b: snap({ recorded: new Set(['initial_notice']), events: [{ kind: 'eta_changed', at: at(20) }], facts: facts({ etaShifted: true, ftcSecondDelay: true }) }),
      now: at(21), act: ['ftc_consent_request'],
    },
    {
      name: 'second delay while a task holds the sequence: the consent request still goes to review',
      b: snap({ paused: true, recorded: new Set(['initial_notice']), facts: facts({ ftcSecondDelay: true }) }), now: at(200), act: ['ftc_consent_request'],
    },
    {
      name: 'no consent by the deadline: the cancel-and-refund task, even while paused',
      b: snap({ paused: true, recorded: new Set(['initial_notice', 'ftc_consent_request']), facts: facts({ ftcConsentOverdue: true }) }), now: at(400), act: ['ftc_no_consent'],
    },
    {
      name: 'the no-consent task fires once',
      b: snap({ recorded: new Set(['initial_notice', 'day3_update', 'day7_update', 'day14_update', 'ftc_consent_request', 'ftc_no_consent']), facts: facts({ ftcConsentOverdue: true }) }), now: at(401), act: [],
    },
  ];

  it.each(table)('$name', ({ b, now, act, superseded }) => {
    const d = evaluateSequence(flow, b, defaultSequenceRules, now);
    expect(acting(d).sort()).toEqual([...act].sort());
    expect(d.filter((x) => x.outcome === 'superseded').map((x) => x.stepId).sort()).toEqual([...(superseded ?? [])].sort());
  });

  it('day 14 high-value order: escalates instead of offering cancellation, and pauses', () => {
    const b = snap({ recorded: new Set(['initial_notice', 'day3_update', 'day7_update']), facts: facts({ orderValueMinor: 60_000 }) });
    const [d] = evaluateSequence(flow, b, defaultSequenceRules, at(24 * 14));
    expect(d?.outcome).toBe('act');
    if (d?.outcome !== 'act') return;
    expect(d.actions.map((a) => a.type)).toEqual(['escalate']);
    expect(d.actions[0]).toMatchObject({ task: 'high_value_cancellation', pause: true });
  });

  it('day 14 VIP: cancel offer drafted and personal outreach task', () => {
    const b = snap({ recorded: new Set(['initial_notice', 'day3_update', 'day7_update']), facts: facts({ segments: ['vip'] }) });
    const [d] = evaluateSequence(flow, b, defaultSequenceRules, at(24 * 14));
    if (d?.outcome !== 'act') throw new Error('expected act');
    expect(d.actions.map((a) => (a.type === 'draft' ? a.template : a.task))).toEqual(['day14_update', 'vip_personal_outreach']);
  });

  it('threshold is a setting', () => {
    const b = snap({ recorded: new Set(['initial_notice', 'day3_update', 'day7_update']), facts: facts({ orderValueMinor: 30_000 }) });
    const [d] = evaluateSequence(flow, b, { ...defaultSequenceRules, highValueThresholdMinor: 20_000 }, at(24 * 14));
    if (d?.outcome !== 'act') throw new Error('expected act');
    expect(d.actions.map((a) => a.type)).toEqual(['escalate']);
  });

  it('a step recorded once never fires again, whatever the clock does', () => {
    const recorded = new Set<string>();
    const fired: string[] = [];
    for (let h = 0; h <= 24 * 20; h += 1) {
      for (const d of evaluateSequence(flow, snap({ recorded }), defaultSequenceRules, at(h))) {
        recorded.add(d.stepId);
        if (d.outcome === 'act') fired.push(d.stepId);
      }
    }
    expect(fired).toEqual(['initial_notice', 'day3_update', 'day7_update', 'day14_update']);
  });

  it('events before the backorder opened are ignored', () => {
    const d = evaluateSequence(flow, snap({ closedAt: at(5), events: [{ kind: 'restocked', at: at(-10) }] }), defaultSequenceRules, at(6));
    expect(acting(d)).toEqual([]);
  });

  it('the flow is data: a custom flow changes behaviour without code', () => {
    const custom: SequenceFlow = {
      id: 'c', name: 'custom',
      steps: [
        { id: 'h1', label: 'Hour 1', trigger: { type: 'elapsed', hours: 1 }, actions: [{ type: 'draft', template: 'initial_notice' }] },
        { id: 'vip-only', label: 'VIP', trigger: { type: 'elapsed', hours: 2 }, conditions: [{ fact: 'segment', is: 'vip' }], actions: [] },
      ],
    };
    expect(acting(evaluateSequence(custom, snap(), defaultSequenceRules, at(0.5)))).toEqual([]);
    const d = evaluateSequence(custom, snap({ recorded: new Set(['h1']) }), defaultSequenceRules, at(3));
    expect(d).toEqual([{ stepId: 'vip-only', dueAt: at(2), outcome: 'skipped' }]);
  });

  it('next timeline step', () => {
    expect(nextTimelineStep(flow, snap(), at(0))?.stepId).toBe('day3_update');
    expect(nextTimelineStep(flow, snap({ recorded: new Set(['initial_notice']) }))?.stepId).toBe('day3_update');
    expect(nextTimelineStep(flow, snap({ closedAt: at(1) }))).toBeNull();
    expect(nextTimelineStep(flow, snap({ recorded: new Set(['initial_notice', 'day3_update', 'day7_update', 'day14_update']) }))).toBeNull();
  });
});
