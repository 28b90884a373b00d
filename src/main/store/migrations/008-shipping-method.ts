/**
 * Migration 8: the order's shipping method ("Shipping Method" in Shopify's orders export), so a
 * draft never offers an upgrade to expedited shipping to a customer who already paid for it.
 */
import type { Migration } from './index';

export const m008: Migration = {
  version: 8,
  name: 'orders.shipping_method',
  up: (db) => {
    db.exec('ALTER TABLE orders ADD COLUMN shipping_method TEXT');
  },
};
