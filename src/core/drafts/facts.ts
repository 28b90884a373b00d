/**
 * The facts a customer message may state — and the only ones. The template composer renders them,
 * the language model is given them, and the validator checks a draft against them, so anything a
 * draft says that is not here (a date, a link, an offer) is an invention.
 *
 * Dates follow DESIGN.md "Principles": ETAs are date-only ISO strings ("2026-12-03") in the store's
 * time zone and are never shifted through an instant.
 */
import { z } from 'zod';
import type { Segment } from '../../shared/domain';

/** An offer, link or alternative product the draft may mention. */
export interface DraftAlternative {
  title: string;
  url?: string;
}

/** Carrier tracking for a shipped order. */
export interface DraftTracking {
  number: string;
  /** Carrier name as the store has it, e.g. "UPS". */
  company?: string;
  url?: string;
}

/**
 * Everything a draft may say, nothing more.
 *
 * Only `orderName`, `itemName`, `status`, `nextUpdate` and `segments` are always present: the CLI's
 * FACTS.json may omit the rest (see `draftFactsSchema`), so the composer says nothing about a fact it
 * does not have instead of inventing it.
 */
export interface DraftFacts {
  /** Store's order name, e.g. "#1001". */
  orderName: string;
  /** Line item title as the customer saw it at checkout. */
  itemName: string;
  /** Units of the line that stock cannot cover (a partial backorder is less than `quantityOrdered`). */
  quantityBackordered?: number;
  /** Units of the line the customer ordered. */
  quantityOrdered?: number;
  /** Customer-facing current status, e.g. "backordered", "back in stock — packing now", "shipped". */
  status: string;
  /** When the next update comes: a phrase ("by Friday, December 4") or a date-only ISO string. */
  nextUpdate: string;
  /** First day of the predicted ETA range (date-only ISO, store time zone); absent = no confirmed date. */
  etaStart?: string;
  /** Last day of the predicted ETA range (date-only ISO, store time zone). */
  etaEnd?: string;
  /** Short reason the ETA moved, e.g. "our supplier's shipment was delayed at the port". */
  etaReason?: string;
  customerFirstName?: string;
  segments: Segment[];
  /** Orders the customer placed before this one (VIP loyalty wording). */
  previousOrders?: number;
  storeName?: string;
  /** Order status page. */
  statusUrl?: string;
  /** Store FAQ (shown to first-time buyers). */
  faqUrl?: string;
  /** Offers the draft may mention, e.g. "expedited shipping", "full refund". */
  allowedOffers?: string[];
  /** Further links the draft may contain. */
  allowedUrls?: string[];
  /** An in-stock alternative the customer could switch to. */
  alternative?: DraftAlternative;
  tracking?: DraftTracking;
  /**
   * The shipping method the customer chose at checkout, as the store names it ("UPS Ground",
   * "Priority Express"). When it is already expedited (express, priority, overnight, next-day, 2-day),
   * no draft offers an upgrade to expedited shipping (`isExpeditedMethod`, offers.ts).
   */
  shippingMethod?: string;
  /** The supplier confirmed the quoted ETA (day 3 gives a refined estimate only then). */
  supplierConfirmed?: boolean;
  /** US store: delay notices carry FTC Mail Order Rule wording (16 CFR 435.2(b)). */
  ftc?: boolean;
  /** Offer cancellation for a full refund (day 14 by default). */
  cancelOffer?: boolean;
  /**
   * US store, second delay: this message is the renewed option of 16 CFR 435.2(b)(2) — it asks the
   * customer to agree to wait or to cancel for a full refund, and says the order is cancelled
   * unless they agree by `consentDeadline`.
   */
  consentRequest?: boolean;
  /** Last day (date-only ISO, store time zone) to agree to wait; present with `consentRequest`. */
  consentDeadline?: string;
  /** No earlier message reached this customer: the draft introduces the backorder from scratch. */
  firstContact?: boolean;
  /** Whole days since the order was placed (store time zone); the wording of waiting time uses it. */
  orderAgeDays?: number;
  /** Only English is written today. */
  locale?: 'en';
}

const isoDate = z.iso.date();
const text = z.string().trim().min(1);

/**
 * Schema of the CLI's FACTS.json. Required: orderName, itemName, status, nextUpdate; `segments`
 * defaults to []; everything else is optional. Unknown keys are refused so a misspelt fact is an
 * error rather than a silently missing sentence. ETA endpoints come as a pair, start ≤ end.
 */
export const draftFactsSchema = z
  .strictObject({
    orderName: text,
    itemName: text,
    quantityBackordered: z.number().int().positive().optional(),
    quantityOrdered: z.number().int().positive().optional(),
    status: text,
    nextUpdate: text,
    etaStart: isoDate.optional(),
    etaEnd: isoDate.optional(),
    etaReason: text.optional(),
    customerFirstName: text.optional(),
    segments: z.array(z.enum(['vip', 'first_time', 'high_value'])).default([]),
    previousOrders: z.number().int().nonnegative().optional(),
    storeName: text.optional(),
    statusUrl: z.url().optional(),
    faqUrl: z.url().optional(),
    allowedOffers: z.array(text).optional(),
    allowedUrls: z.array(z.url()).optional(),
    alternative: z.strictObject({ title: text, url: z.url().optional() }).optional(),
    tracking: z
      .strictObject({ number: text, company: text.optional(), url: z.url().optional() })
      .optional(),
    shippingMethod: text.optional(),
    supplierConfirmed: z.boolean().optional(),
    ftc: z.boolean().optional(),
    cancelOffer: z.boolean().optional(),
    consentRequest: z.boolean().optional(),
    consentDeadline: isoDate.optional(),
    firstContact: z.boolean().optional(),
    orderAgeDays: z.number().int().nonnegative().optional(),
    locale: z.literal('en').optional(),
  })
  .superRefine((f, ctx) => {
    if (f.consentRequest === true && f.consentDeadline === undefined) {
      ctx.addIssue({ code: 'custom', path: ['consentDeadline'], message: 'a consent request needs its consentDeadline' });
    }
    if ((f.etaStart === undefined) !== (f.etaEnd === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['etaEnd'], message: 'etaStart and etaEnd come together' });
    } else if (f.etaStart !== undefined && f.etaEnd !== undefined && f.etaStart > f.etaEnd) {
      ctx.addIssue({ code: 'custom', path: ['etaEnd'], message: 'etaEnd is before etaStart' });
    }
    if (
      f.quantityBackordered !== undefined &&
      f.quantityOrdered !== undefined &&
      f.quantityBackordered > f.quantityOrdered
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['quantityBackordered'],
        message: 'more units backordered than ordered',
      });
    }
  });

// Compile-time guard: what the schema yields must be usable as DraftFacts and the other way round,
// so the CLI path and the app path cannot drift apart.
type SchemaFacts = z.output<typeof draftFactsSchema>;
const schemaIsFacts = (f: SchemaFacts): DraftFacts => f;
const factsAreSchema = (f: DraftFacts): SchemaFacts => f;
void schemaIsFacts;
void factsAreSchema;
