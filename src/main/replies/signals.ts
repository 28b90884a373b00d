/**
 * The sentiment signals reply triage uses by default: the `sentiment` package (AFINN-165 word
 * list, a maintained library) plus the project's own list of order-complaint vocabulary. Both feed
 * the rules as one input each; the rules still decide (src/core/triage/classify.ts).
 */
import Sentiment from 'sentiment';
import { afinnSignal, builtinLexicon, type SentimentSignal } from '../../core/triage/lexicon';

let cached: readonly SentimentSignal[] | undefined;

/** Built-in complaint lexicon and AFINN-165; created once. */
export function defaultSentimentSignals(): readonly SentimentSignal[] {
  cached ??= [builtinLexicon, afinnSignal(new Sentiment())];
  return cached;
}
