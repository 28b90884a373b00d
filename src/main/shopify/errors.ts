/**
 * Errors of the Shopify connection that callers treat differently: a reply that does not have the
 * documented shape (names the field), a query too expensive for one request (the caller splits it),
 * and a refused credential (no point retrying).
 */
import { AppError } from '../../shared/result';

/** A reply that does not match the documented shape; `field` is the path, e.g. `orders.edges[3].node.name`. */
export class ShapeError extends AppError {
  constructor(
    readonly operation: string,
    readonly field: string,
    detail: string,
  ) {
    super('UNAVAILABLE', `Shopify's reply to ${operation} has an unexpected shape at ${field || '(root)'}: ${detail}. Nothing was stored from it.`);
    this.name = 'ShapeError';
  }
}

/** The query costs more than one request may (MAX_COST_EXCEEDED, or more than the bucket holds). */
export class CostExceededError extends Error {
  constructor(
    readonly requested: number,
    readonly maximum: number,
  ) {
    super(`query cost ${requested} exceeds the limit ${maximum}`);
    this.name = 'CostExceededError';
  }
}
