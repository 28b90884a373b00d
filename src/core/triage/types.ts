/**
 * The vocabulary of reply triage: what a customer's reply to a backorder notice is read as.
 * Shared by the rules (classify.ts), the optional sentiment library and local model signals, the
 * reply ingest (src/main/replies) and the contract.
 */

/** Overall tone of the reply. Frustrated and angry need a person (DESIGN.md: negative replies escalate). */
export type Sentiment = 'positive' | 'neutral' | 'frustrated' | 'angry';

/** What the customer asks for. A reply can carry several intents. */
export type IntentKind = 'cancel' | 'call' | 'eta_question' | 'accept_alternative' | 'address_change' | 'other';

export const SENTIMENTS: readonly Sentiment[] = ['positive', 'neutral', 'frustrated', 'angry'];
export const INTENT_KINDS: readonly IntentKind[] = ['cancel', 'call', 'eta_question', 'accept_alternative', 'address_change', 'other'];

/** One intent found in a reply. */
export interface Intent {
  kind: IntentKind;
  /** 0..1: how sure the reading is (a high-precision rule gives ≥ 0.9). */
  confidence: number;
  /** Phone number the customer gave, as written (call intent only). */
  phone?: string;
}

/** Where a triage came from: the rules alone, or the rules combined with the local model. */
export type TriageSource = 'rules' | 'rules+model';

/** The reading of one reply. */
export interface Triage {
  sentiment: Sentiment;
  /** 0..1 confidence in `sentiment`. */
  confidence: number;
  intents: Intent[];
  /**
   * A person must read this reply: the customer is frustrated or angry, wants to cancel or to be
   * called, or the signals disagree ("in doubt, a person decides").
   */
  needsPerson: boolean;
  /** Ids of the rules (and signals) that fired, for the task's "why" and for debugging. */
  reasons: string[];
  source: TriageSource;
  /** The text that was read: the reply without quoted history, invisible characters or signature. */
  text: string;
}
