/**
 * The notification sequence as data: steps with a trigger, conditions and actions.
 * The engine (engine.ts) interprets it; nothing about a particular step is hard-coded there, so the
 * owner and later features change the flow by changing this data.
 *
 * Source of the default: DESIGN.md "Defaults taken from the merchant's brief" (Standard Backorder
 * Flow) and its escalation list. All thresholds live in `SequenceRules` (settings), not here.
 */

/** Things that happen to a backorder and can trigger a step. */
export type BackorderEventKind = 'restocked' | 'fulfilled' | 'eta_changed' | 'reply' | 'cancelled' | 'ftc_consent';

/** Draft templates the composer knows (src/core/drafts/composer.ts). */
export type TemplateId =
  | 'initial_notice'
  | 'day3_update'
  | 'day7_update'
  | 'day14_update'
  | 'eta_change_update'
  | 'restock_notice'
  | 'shipped_confirmation'
  | 'ftc_consent_request';

export type Trigger =
  /** Due a fixed time after the backorder opened; only while it is open. */
  | { type: 'elapsed'; hours: number }
  /** Due when an event of this kind is recorded for the backorder. */
  | { type: 'event'; event: BackorderEventKind }
  /** Due as soon as its conditions hold while the backorder is open (e.g. ETA beyond 30 days). */
  | { type: 'state' };

/** A yes/no question about the backorder's facts; `not` negates. */
export type Condition =
  | { fact: 'segment'; is: 'vip' | 'first_time' | 'high_value' }
  | { fact: 'orderValueAboveThreshold' }
  | { fact: 'supplierConfirmed' }
  | { fact: 'etaShifted' }
  | { fact: 'alternativeAvailable' }
  | { fact: 'etaBeyondLimit' }
  | { fact: 'etaUnknown' }
  | { fact: 'partialShipmentPossible' }
  | { fact: 'replyNegative' }
  | { fact: 'replyWantsCall' }
  | { fact: 'replyWantsCancel' }
  | { fact: 'replyAcceptsAlternative' }
  | { fact: 'replyAddressChange' }
  /** US store: a second delay needs the customer's consent (src/core/compliance/ftc.ts). */
  | { fact: 'ftcSecondDelay' }
  /** US store: the consent request's deadline passed without the customer's consent. */
  | { fact: 'ftcConsentOverdue' }
  | { fact: 'customerContacted' }
  | { not: Condition };

export type TaskKind =
  | 'high_value_cancellation'
  | 'negative_reply'
  | 'eta_beyond_limit'
  | 'partial_shipment'
  | 'callback_requested'
  | 'vip_personal_outreach'
  | 'cancel_requested'
  | 'swap_item'
  | 'address_change'
  | 'ftc_no_consent';

export type Action =
  | {
      type: 'draft';
      template: TemplateId;
      /** Offer cancellation for a full refund in this message (day 14). */
      cancelOffer?: boolean;
      when?: Condition[];
    }
  | {
      type: 'escalate';
      task: TaskKind;
      reason: string;
      recommendedAction: string;
      /** Hold the sequence until a person resolves the task. */
      pause?: boolean;
      when?: Condition[];
    };

export interface Step {
  id: string;
  /** What the owner sees in the Backorders list ("Day 3 update"). */
  label: string;
  trigger: Trigger;
  /** All must hold for the step to fire at all. */
  conditions?: Condition[];
  actions: Action[];
  /**
   * Steps of one group replace each other after a gap: when several are due at once (a laptop that
   * slept), only the newest fires and the older ones are recorded as superseded.
   */
  catchUpGroup?: string;
  /** Whether the step may fire while the sequence is paused by an open task. */
  runsWhilePaused?: boolean;
}

export interface SequenceFlow {
  id: string;
  name: string;
  steps: Step[];
}

/** The merchant's Standard Backorder Flow. */
export const standardBackorderFlow: SequenceFlow = {
  id: 'standard',
  name: 'Standard Backorder Flow',
  steps: [
    {
      id: 'initial_notice',
      label: 'Initial notice',
      trigger: { type: 'elapsed', hours: 0 },
      catchUpGroup: 'timeline',
      actions: [{ type: 'draft', template: 'initial_notice' }],
    },
    {
      id: 'day3_update',
      label: 'Day 3 update',
      trigger: { type: 'elapsed', hours: 72 },
      catchUpGroup: 'timeline',
      actions: [{ type: 'draft', template: 'day3_update' }],
    },
    {
      id: 'day7_update',
      label: 'Day 7 update',
      trigger: { type: 'elapsed', hours: 168 },
      catchUpGroup: 'timeline',
      actions: [{ type: 'draft', template: 'day7_update' }],
    },
    {
      id: 'day14_update',
      label: 'Day 14 update and cancel option',
      trigger: { type: 'elapsed', hours: 336 },
      catchUpGroup: 'timeline',
      actions: [
        { type: 'draft', template: 'day14_update', cancelOffer: true, when: [{ not: { fact: 'orderValueAboveThreshold' } }] },
        {
          type: 'escalate',
          task: 'high_value_cancellation',
          reason: 'High-value order waiting 14 days: a person decides before any cancellation offer.',
          recommendedAction: 'Call or write personally; offer the options you can afford (expedite, substitute, cancel).',
          when: [{ fact: 'orderValueAboveThreshold' }],
          pause: true,
        },
        {
          type: 'escalate',
          task: 'vip_personal_outreach',
          reason: 'VIP customer still waiting at day 14.',
          recommendedAction: 'Reach out personally; offer expedited shipping when the item arrives.',
          when: [{ fact: 'segment', is: 'vip' }],
          pause: true,
        },
      ],
    },
    {
      id: 'eta_change_update',
      label: 'ETA changed',
      trigger: { type: 'event', event: 'eta_changed' },
      // A second delay of a US store gets the consent request instead: one message, not two.
      conditions: [{ fact: 'etaShifted' }, { not: { fact: 'ftcSecondDelay' } }],
      actions: [{ type: 'draft', template: 'eta_change_update' }],
    },
    {
      // FTC Mail Order Rule, 16 CFR 435.2(b)(2): after a second delay, ask for consent (renewed option).
      id: 'ftc_consent_request',
      label: 'FTC consent request (second delay)',
      trigger: { type: 'state' },
      conditions: [{ fact: 'ftcSecondDelay' }],
      // A legal deadline runs: a task held by a person does not stop the request from being drafted.
      runsWhilePaused: true,
      actions: [{ type: 'draft', template: 'ftc_consent_request' }],
    },
    {
      // 16 CFR 435.2(c): silence is not consent after a second delay.
      id: 'ftc_no_consent',
      label: 'No FTC consent by the revised date',
      trigger: { type: 'state' },
      conditions: [{ fact: 'ftcConsentOverdue' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'ftc_no_consent',
          reason:
            'Second delay (FTC Mail Order Rule, 16 CFR 435.2(b)(2)): the customer did not agree to the further delay by the revised date. Silence is not consent.',
          recommendedAction:
            'Cancel and refund in full (16 CFR 435.2(c)), then confirm to the customer. If they agreed to wait another way (a call), resolve this task with a note.',
          pause: true,
        },
      ],
    },
    {
      id: 'eta_beyond_limit',
      label: 'ETA beyond limit',
      trigger: { type: 'state' },
      conditions: [{ fact: 'etaBeyondLimit' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'eta_beyond_limit',
          reason: 'The predicted ETA is beyond the limit set for automatic messages.',
          recommendedAction: 'Check with the supplier; consider offering a substitute or a cancellation.',
          pause: true,
        },
      ],
    },
    {
      id: 'partial_shipment',
      label: 'Partial shipment possible',
      trigger: { type: 'state' },
      conditions: [{ fact: 'partialShipmentPossible' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'partial_shipment',
          reason: 'Part of this order can ship now; a person confirms the allocation.',
          recommendedAction: 'Ship the in-stock items now and keep the backordered ones waiting, or hold the order.',
          // No pause: the decision is about what ships, and the customer's updates should go on meanwhile.
        },
      ],
    },
    {
      id: 'negative_reply',
      label: 'Unhappy reply',
      trigger: { type: 'event', event: 'reply' },
      conditions: [{ fact: 'replyNegative' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'negative_reply',
          reason: 'The customer replied unhappy.',
          recommendedAction: 'Answer personally.',
          pause: true,
        },
      ],
    },
    {
      id: 'callback_requested',
      label: 'Callback requested',
      trigger: { type: 'event', event: 'reply' },
      conditions: [{ fact: 'replyWantsCall' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'callback_requested',
          reason: 'The customer asked for a call.',
          recommendedAction: 'Call the customer back (callback priority).',
          pause: true,
        },
      ],
    },
    {
      id: 'cancel_requested',
      label: 'Cancellation requested',
      trigger: { type: 'event', event: 'reply' },
      conditions: [{ fact: 'replyWantsCancel' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'cancel_requested',
          reason: 'The customer asked to cancel (or for their money back).',
          recommendedAction: 'Cancel and refund in full, then confirm to the customer.',
          pause: true,
        },
      ],
    },
    {
      id: 'alternative_accepted',
      label: 'Alternative accepted',
      trigger: { type: 'event', event: 'reply' },
      conditions: [{ fact: 'replyAcceptsAlternative' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'swap_item',
          reason: 'The customer accepted an alternative item.',
          recommendedAction: 'Swap the item on the order (edit the order in the store), then confirm to the customer.',
          pause: true,
        },
      ],
    },
    {
      id: 'address_change',
      label: 'Address change',
      trigger: { type: 'event', event: 'reply' },
      conditions: [{ fact: 'replyAddressChange' }],
      runsWhilePaused: true,
      actions: [
        {
          type: 'escalate',
          task: 'address_change',
          reason: 'The customer sent a new shipping address.',
          recommendedAction: 'Check the address with the customer if unclear, update it on the order, then confirm.',
          pause: true,
        },
      ],
    },
    {
      id: 'restock_notice',
      label: 'Back in stock',
      trigger: { type: 'event', event: 'restocked' },
      // "Your backordered item" means nothing to a customer who was never told it was backordered
      // (restocked before the first notice went out, or every notice discarded): they just get the
      // store's usual shipping mail.
      conditions: [{ fact: 'customerContacted' }],
      catchUpGroup: 'closing',
      runsWhilePaused: true,
      actions: [{ type: 'draft', template: 'restock_notice' }],
    },
    {
      id: 'shipped_confirmation',
      label: 'Shipped',
      trigger: { type: 'event', event: 'fulfilled' },
      conditions: [{ fact: 'customerContacted' }],
      catchUpGroup: 'closing',
      runsWhilePaused: true,
      actions: [{ type: 'draft', template: 'shipped_confirmation' }],
    },
  ],
};
