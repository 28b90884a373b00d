/**
 * The facts most draft tests check text against: order #1001, one Linen Apron from "Northwind
 * Goods", backordered, shipping between 2026-12-03 and 2026-12-10 (ISO dates, store time zone), next
 * update by Friday, December 4. Each test spreads it and adds what it needs (quantities, links, the
 * customer's first name).
 */
import type { DraftFacts } from '../../src/core/drafts/facts';

export const APRON_FACTS: DraftFacts = {
  orderName: '#1001',
  itemName: 'Linen Apron',
  status: 'backordered',
  nextUpdate: 'by Friday, December 4',
  etaStart: '2026-12-03',
  etaEnd: '2026-12-10',
  segments: [],
  storeName: 'Northwind Goods',
};
