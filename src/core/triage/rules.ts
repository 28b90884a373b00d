/**
 * The high-precision rules of reply triage, as data. Each rule is a regular expression over the
 * normalised reply (lower case, straight apostrophes, single spaces; see `normalise`) and names
 * what it signals. classify.ts adds them up; nothing else about a rule is hard-coded there.
 *
 * Sources: the issue "Customer replies triaged" (cancel, refund, chargeback, dispute; call me, a
 * phone number, speak to a person; capitals, "!!!", profanity, "unacceptable", review or legal
 * threats; a complaint without negative words is frustration) and DESIGN.md's escalation list.
 * Tuned on the `tune` half of test/fixtures/triage/backorder_replies.csv only.
 */
import type { IntentKind } from './types';

/** What a tone rule says about the customer's mood. */
export type Cue = 'anger' | 'frustration' | 'sarcasm' | 'positive';

export interface ToneRule {
  id: string;
  cue: Cue;
  /** anger ≥ 2 in total reads as angry; any frustration or sarcasm as frustrated. */
  weight: number;
  pattern: RegExp;
}

export interface IntentRule {
  id: string;
  intent: IntentKind;
  confidence: number;
  pattern: RegExp;
  /** The rule does not fire when this also matches (e.g. "no need to cancel"). */
  unless?: RegExp;
}

/** Lower case, straight quotes, "…" as "...", single spaces: the form every rule reads. */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2026/g, '...')
    .replace(/[\u2013\u2014]/g, '-')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const NEG = "(?:not|never|no|don't|do not|won't|will not|wouldn't|didn't|isn't|wasn't|no need to|rather not)";

export const INTENT_RULES: readonly IntentRule[] = [
  // Cancellation and money back. A chargeback or dispute is a cancellation the bank would do for them.
  {
    id: 'cancel.word',
    intent: 'cancel',
    confidence: 0.95,
    pattern: /\bcancel(?:l?ed|l?ing|lation)?\b|\bcancelar\b|\bannuler\b|\bannulez\b|\bstornieren\b|\bstorniert\b/,
    unless: new RegExp(`${NEG} (?:\\w+ ){0,2}cancel|\\b(?:if|whether) (?:i|you) (?:\\w+ )?(?:want|would like|wanted) to cancel\\b`),
  },
  {
    id: 'cancel.refund',
    intent: 'cancel',
    confidence: 0.9,
    pattern: /\b(?:full )?refund(?:ed)?\b|\bmoney back\b|\breembolso\b|\bremboursement\b|\brembourse[zr]?\b|\br[üu]ckerstattung\b|\bgeld zur[üu]ck\b/,
    unless: /\bpartial refund\b|\bno refund\b|\bdon't (?:need|want) a refund\b/,
  },
  { id: 'cancel.chargeback', intent: 'cancel', confidence: 0.95, pattern: /\bcharge ?backs?\b|\bdisput(?:e|ing)\b.{0,40}\b(?:charge|payment|transaction|bank|card|paypal)\b|\b(?:bank|card|paypal)\b.{0,40}\bdisput/ },
  { id: 'cancel.dont_want', intent: 'cancel', confidence: 0.85, pattern: /\b(?:i )?(?:don't|do not|no longer) (?:want|need) (?:it|this|the \w+|them) (?:any ?more|anymore)?\b|\bno longer (?:want|need)\b|\bi'm done waiting\b/ },

  // A call or a person. A phone number on its own is handled in classify.ts (with a call verb).
  { id: 'call.call_me', intent: 'call', confidence: 0.95, pattern: /\b(?:call|ring|phone) me\b|\bgive me a (?:call|ring)\b|\b(?:call|ring) (?:me )?(?:back|on|at)\b|\bcallback\b|\bcall back\b|\bll[aá]m(?:e|enme)\b|\brappelez[- ]moi\b|\brufen sie mich\b/ },
  { id: 'call.someone_call', intent: 'call', confidence: 0.9, pattern: /\b(?:can|could|would|will) (?:someone|somebody|you|anyone) (?:please )?(?:call|phone|ring)\b/ },
  { id: 'call.person', intent: 'call', confidence: 0.9, pattern: /\b(?:speak|talk) (?:to|with) (?:a |an |the |your )?(?:real |actual )?(?:person|human|someone|somebody|manager|supervisor|owner)\b|\b(?:speak|talk) to you on the phone\b|\b(?:someone|somebody) i can (?:talk|speak) to\b|\bon the phone\b/ },

  // The ETA.
  { id: 'eta.when', intent: 'eta_question', confidence: 0.85, pattern: /\bwhen (?:will|do|does|would|is|can|might|should)\b[^?.!]{0,60}\b(?:ship|arrive|come|be (?:back|available|here|in stock)|get it|expect|have it|deliver)/ },
  { id: 'eta.words', intent: 'eta_question', confidence: 0.8, pattern: /\b(?:eta|estimate|rough date|new date|how long|tracking(?: number)?|any update|expected date|delivery date|still within)\b/ },
  { id: 'eta.foreign', intent: 'eta_question', confidence: 0.8, pattern: /\bcu[aá]ndo (?:llega|llegar[aá]|env[ií]an)\b|\bquand (?:est-ce|sera|arrive)\b|\bwann (?:kommt|wird|ist)\b/ },

  // An alternative accepted: the owner swaps the item (a task), nothing automatic.
  { id: 'alt.instead', intent: 'accept_alternative', confidence: 0.85, pattern: /\b(?:i'll|i will|i'd|i would|happy to|glad to|ok(?:ay)? to|fine to) (?:take|switch|swap|go with|have)\b|\b(?:swap|switch) (?:it|to|for)\b|\binstead\b|\b(?:alternative|replacement|substitute)\b[^.?!]{0,40}\b(?:works|fine|ok|okay|good|please|go ahead)\b|\bgo ahead with the (?:replacement|alternative|substitute|other)\b|\bchange the (?:colou?r|size|model)\b/ },

  // Where it ships.
  { id: 'address.change', intent: 'address_change', confidence: 0.85, pattern: /\b(?:new|change|update|different|correct) (?:the |my )?(?:shipping |delivery |mailing )?address\b|\baddress (?:has )?changed\b|\b(?:ship|send|deliver) it to\b[^.?!]{0,80}\d|\bi(?:'ve)? moved\b|\bchange the delivery address\b/ },
];

export const TONE_RULES: readonly ToneRule[] = [
  // Anger: weight 2 alone reads as angry.
  { id: 'anger.profanity', cue: 'anger', weight: 2, pattern: /\bf+u+c+k\w*|\bf[*#@$!]{2,}\w*|\bsh[i*]t(?:ty)?\b|\bbull ?sh[i*]t\b|\bwtf\b|\bcrap(?:py)?\b|\bwhat the (?:hell|heck)\b|\bdamn(?:ed)?\b|\bpiss(?:ed)?\b|\bmierda\b|\bputain\b|\bschei(?:ß|ss)e\b/ },
  { id: 'anger.unacceptable', cue: 'anger', weight: 2, pattern: /\bunacceptable\b|\bridiculous\b|\boutrageous\b|\bdisgrac(?:e|eful)\b|\bappalling\b|\bincompetent\b|\bpathetic\b|\binadmissible\b|\binaceptable\b|\binacceptable\b|\bunverschämt\b|\bfrechheit\b|\bscandaleux\b|\bvergüenza\b/ },
  { id: 'anger.scam', cue: 'anger', weight: 2, pattern: /\bscam(?:mers?)?\b|\bfraud\w*\b|\brip(?:ped)?[- ]?off\b|\bestafa\b|\barnaque\b|\bbetrug\b|\bstole my money\b/ },
  { id: 'anger.joke', cue: 'anger', weight: 2, pattern: /\bwhat a joke\b|\b(?:you|you guys|this|this company) (?:are|is) (?:a |an )?(?:\w+ )?joke\b/ },
  { id: 'anger.worst', cue: 'anger', weight: 2, pattern: /\bworst\b|\bterrible\b|\bawful\b|\bhorrible\b|\bdisgusted\b|\bfurious\b|\blivid\b/ },
  { id: 'anger.never_again', cue: 'anger', weight: 2, pattern: /\bnever (?:again|(?:be )?(?:order|buy|shop|purchas)\w*)\b|\b(?:last|final) time i (?:order|buy|shop)\b/ },
  { id: 'anger.legal', cue: 'anger', weight: 2, pattern: /\b(?:my )?(?:lawyer|attorney|solicitor)\b|\blegal action\b|\bsue\b|\bsmall claims\b|\bbetter business bureau\b|\bbbb\b|\bconsumer (?:protection|rights|affairs)\b|\btrading standards\b|\bftc\b|\battorney general\b|\breport (?:you|this)\b/ },
  { id: 'anger.review', cue: 'anger', weight: 2, pattern: /\b(?:leave|leaving|write|writing|post|posting|give|giving) (?:a |an |my )?(?:\w+ )?(?:review|rating)\b|\b(?:one|1|zero|0)[- ]star\b|\btrustpilot\b|\byelp\b|\btell (?:everyone|all my friends)\b|\bsocial media\b/ },
  { id: 'anger.chargeback', cue: 'anger', weight: 2, pattern: /\bcharge ?backs?\b|\bdisput(?:e|ing)\b.{0,40}\b(?:charge|payment|bank|card)\b/ },
  { id: 'anger.exclaim', cue: 'anger', weight: 1, pattern: /!{3,}|[!?]{4,}|\?!|!\?/ },

  // Frustration, including complaints that use no negative word at all.
  { id: 'frustration.words', cue: 'frustration', weight: 1, pattern: /\bdisappoint\w*|\bfrustrat\w*|\bannoy\w*|\bupset\b|\bunhappy\b|\bfed up\b|\bsick of\b|\btired of\b|\bangry\b|\bmad\b|\bugh+\b|\bsigh\b|\bdecepcionad[oa]\b|\bdéçue?\b|\benttäuscht\b/ },
  { id: 'frustration.not_ok', cue: 'frustration', weight: 1, pattern: /\bnot (?:happy|impressed|pleased|satisfied|ok|okay|good|great|acceptable|fine)\b|\bnot at all happy\b/ },
  { id: 'frustration.patience', cue: 'frustration', weight: 1, pattern: /\b(?:los(?:e|ing)|run(?:ning)? out of|my) patience\b|\btaking (?:forever|so long|ages|too long)\b|\bhow much longer\b|\bwaited long enough\b|\bdone waiting\b|\bforever\b/ },
  { id: 'frustration.still', cue: 'frustration', weight: 1, pattern: /\bstill (?:nothing|no\b|not\b|haven't|hasn't|waiting|don't)|\btoujours rien\b|\btodav[ií]a nada\b|\bimmer noch nicht\b|\bwhere is my\b|\bwhere's my\b|\bwhere is (?:it|the order|my stuff)\b/ },
  { id: 'frustration.expected', cue: 'frustration', weight: 1, pattern: /\b(?:was|were) supposed to\b|\b(?:i was|we were) (?:told|promised|quoted)\b|\byou (?:said|promised|told me)\b|\b(?:site|website|page|listing|store) (?:said|says|showed|shows)\b|\bsaid (?:it was |it's )?in stock\b|\bexpected better\b|\bpaid (?:for (?:this|it)|weeks|a month|in full)\b|\btook my money\b/ },
  { id: 'frustration.ago', cue: 'frustration', weight: 1, pattern: /\b(?:weeks|months|a month|a week|\d+ days) ago\b|\bit's the \d+(?:st|nd|rd|th)\b|\b(?:third|fourth|fifth|\d+(?:rd|th)) (?:time|delay)\b|\bsecond delay\b|\banother delay\b|\bagain\?/ },
  { id: 'frustration.needed_by', cue: 'frustration', weight: 1, pattern: /\bi needed (?:it|this|them) (?:for|by|before)\b|\buseless (?:to me|now)\b|\btoo late\b|\bno use to me\b/ },
  { id: 'frustration.ignored', cue: 'frustration', weight: 1, pattern: /\b(?:emailed|written|messaged|contacted|called|asked) (?:you )?(?:\w+ )?(?:times|twice)\b|\b(?:nobody|no one|no-one) (?:has )?(?:answered|replied|responded|got back|gets back)\b|\bno (?:answer|reply|response) from you\b/ },
  { id: 'frustration.options', cue: 'frustration', weight: 1, pattern: /\bwhat are my options\b|\bpartial refund\b|\bcompensat\w+\b|\bdiscount for the (?:delay|wait)\b/ },
  { id: 'frustration.stop', cue: 'frustration', weight: 1, pattern: /\b(?:don't|do not|stop) (?:send|sending|email|emailing) (?:me\b)?|\bjust (?:ship|send) (?:the|it|my)\b/ },
  { id: 'frustration.terse', cue: 'frustration', weight: 1, pattern: /^\?+$|^seriously\b|^(?:yeah|yes|ok|okay),? (?:sure|right|fine),? whatever\b|\bwhatever\.?$|^not impressed\b|^(?:really|again)\?+$/ },
  { id: 'frustration.thanks_for_nothing', cue: 'frustration', weight: 1, pattern: /\bthanks for nothing\b|\bthanks a lot\b(?!.*\b(?:for (?:the|your|letting)|appreciate)\b)/ },

  // Sarcasm: praise around a delay reads as frustration, and cancels the praise.
  { id: 'sarcasm.praise_delay', cue: 'sarcasm', weight: 1, pattern: /\boh,? (?:great|wonderful|perfect|fantastic|lovely|brilliant|good)\b|\b(?:great|perfect|wonderful)\. just (?:great|perfect|wonderful)\b|\bjust (?:great|perfect|wonderful|what i needed)\b|\blove (?:waiting|the wait|being kept waiting)\b|\b(?:really|truly|such) (?:great|excellent|amazing|fantastic) (?:service|job|work)\b|\b(?:great|wonderful|fantastic), another\b/ },

  // Positive.
  { id: 'positive.thanks', cue: 'positive', weight: 1, pattern: /\bthank(?:s| you| u)\b|\bthx\b|\bty\b|\bappreciate\w*\b|\bdanke\b|\bgracias\b|\bmerci\b|\bgrazie\b|\bbedankt\b|\bobrigad[oa]\b/ },
  { id: 'positive.wait_ok', cue: 'positive', weight: 1, pattern: /\bno (?:problem|worries|rush|hurry|stress)\b|\bnot a problem\b|\b(?:happy|fine|glad|ok|okay|willing) to wait\b|\bi(?:'ll| will| can| don't mind|'m fine to| am fine to) wait\b|\bdon't mind (?:waiting|the wait)\b|\bnot urgent\b|\btake your time\b|\bthese things happen\b|\b(?:totally |completely )?understand(?:able)?\b|\bkein (?:problem|stress)\b|\bsin problema\b|\bpas de (?:souci|problème)\b|\bnessun problema\b|\bwarte gerne\b/ },
  { id: 'positive.words', cue: 'positive', weight: 1, pattern: /\b(?:great|perfect|awesome|wonderful|excellent|fantastic|lovely|brilliant|cool|sounds good|looking forward|love|honest(?:y)?|transparen\w*|upfront|kind|helpful)\b|:\)|:-\)|😊|🙂|👍|❤️/ },
];

/**
 * Capitals read as shouting when at least two words of three or more letters are all capitals and
 * they make up half the words or more. Short replies in capitals are shouting too; acronyms are not.
 */
export const NOT_SHOUTING = new Set(['ETA', 'USPS', 'UPS', 'DHL', 'FEDEX', 'ASAP', 'FYI', 'USA', 'SKU', 'LOL', 'PS', 'OK', 'EU', 'UK', 'XL', 'XXL']);
