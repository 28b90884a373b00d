/**
 * What a triaged reply leads to, decided from the sequence flow as data: the flow's steps
 * triggered by a 'reply' event (negative_reply, callback_requested, cancel_requested,
 * alternative_accepted, address_change) are evaluated against the reply's facts with the engine's
 * own `holds`, and the owner's switched-off escalations are dropped.
 *
 * Evaluated per reply rather than through the tick's step_firings, which let a step fire once per
 * backorder: a customer who is angry twice, after a task was resolved, must reach a person twice.
 */
import { enabled, holds, type BackorderFacts, type SequenceRules } from '../sequence/engine';
import type { Action, SequenceFlow, TaskKind } from '../sequence/flow';
import type { Triage } from './types';

/** One escalation a reply opens. */
export type ReplyEscalation = Extract<Action, { type: 'escalate' }> & { stepId: string; priority: number };

/** Callback requests first (DESIGN.md "callback priority"), then unhappy customers and cancellations. */
export const TASK_PRIORITY: Partial<Record<TaskKind, number>> = {
  callback_requested: 2,
  negative_reply: 1,
  cancel_requested: 1,
  ftc_no_consent: 1,
};

/** The reply facts the flow's conditions read. */
export function replyFacts(t: Triage): Pick<BackorderFacts, 'replyNegative' | 'replyWantsCall' | 'replyWantsCancel' | 'replyAcceptsAlternative' | 'replyAddressChange'> {
  const has = (k: string): boolean => t.intents.some((i) => i.kind === k);
  return {
    replyNegative: t.sentiment === 'frustrated' || t.sentiment === 'angry',
    replyWantsCall: has('call'),
    replyWantsCancel: has('cancel'),
    replyAcceptsAlternative: has('accept_alternative'),
    replyAddressChange: has('address_change'),
  };
}

/**
 * The escalations a reply opens, highest priority first. Pure.
 * @param base facts of the backorder (segments, order value); reply facts are taken from `t`.
 */
export function replyEscalations(flow: SequenceFlow, t: Triage, base: BackorderFacts, rules: SequenceRules): ReplyEscalation[] {
  const facts: BackorderFacts = { ...base, ...replyFacts(t) };
  const out: ReplyEscalation[] = [];
  for (const step of flow.steps) {
    if (step.trigger.type !== 'event' || step.trigger.event !== 'reply') continue;
    if (!(step.conditions ?? []).every((c) => holds(c, facts, rules))) continue;
    for (const a of step.actions) {
      if (a.type !== 'escalate' || !enabled(a, rules) || !(a.when ?? []).every((c) => holds(c, facts, rules))) continue;
      out.push({ ...a, stepId: step.id, priority: TASK_PRIORITY[a.task] ?? 0 });
    }
  }
  return out.sort((x, y) => y.priority - x.priority);
}
