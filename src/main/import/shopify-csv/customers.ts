/**
 * Customer facts: from Shopify's customers export when one is given (Shopify Help Center:
 * "Exporting customers"), otherwise derived from the orders.
 *
 * Customers export, current header: Customer ID, First Name, Last Name, Email, Accepts Email
 * Marketing, Default Address …, Default Address Phone, Phone, Accepts SMS Marketing, Total Spent,
 * Total Orders, Note, Tax Exempt, Tags. Older headers say 'Accepts Marketing' and 'Company' and may
 * lack 'Customer ID'. Shopify writes ids and phone numbers with a leading apostrophe ("'7066160414827")
 * so spreadsheets keep them as text; it is removed.
 *
 * Ids: 'gid://shopify/Customer/<Customer ID>' when the export has it, else
 * 'csv-customer:<lower-cased email>' (or the phone when there is no email). Orders are linked to
 * customers by email, case-insensitively, preferring a customer known by its Shopify id.
 *
 * Derived customers ('csv-customer:<email>', for order emails no export covers): name from the
 * Billing Name of the latest order (first word = first name), phone and email-marketing consent from
 * it; total orders = number of stored orders with that email; total spent = sum of their totals in
 * the latest order's currency, cancelled orders left out. Because an orders export may cover only part
 * of a customer's history, these totals are lower bounds: a stored figure (e.g. from an older customers
 * export under the same id) is never lowered, and names, phone and consent already stored are kept.
 */
import type { ImportProblem } from '../../../shared/domain';
import type { Db } from '../../store/db';
import { Columns, problem, RowRefusal, type CsvTable } from './csv';
import { count, prepared, upsertRow, type Outcome, type SqlValue, type Tally } from './store';
import { parseFlag, parseMoneyMinor, parseWholeNumber, stripTextMarker, textOrNull } from './values';

/** One customer of a customers export, ready to store. */
export interface CustomerRecord {
  line: number;
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  totalOrders: number | null;
  /** Minor units of `currency`; null when empty or the store currency is unknown. */
  totalSpentMinor: number | null;
  currency: string | null;
  acceptsEmail: 0 | 1;
  acceptsSms: 0 | 1;
  tags: string;
}

/** Result of reading a customers export. */
export interface CustomersRead {
  customers: CustomerRecord[];
  refused: ImportProblem[];
  warnings: ImportProblem[];
}

const DERIVED_PREFIX = 'csv-customer:';

/** 'csv-customer:<lower-cased email>' — the id of a customer known only by email. */
export function derivedCustomerId(email: string): string {
  return `${DERIVED_PREFIX}${email.trim().toLowerCase()}`;
}

/**
 * Reads a customers export.
 * @param storeCurrency currency of 'Total Spent' (the store's), or null when unknown.
 */
export function readCustomers(table: CsvTable, storeCurrency: string | null): CustomersRead {
  const cols = new Columns(table.header);
  const file = table.file;
  const customers: CustomerRecord[] = [];
  const refused: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const acceptsEmailKey = cols.pick('accepts email marketing', 'accepts marketing');
  let spentUnknownCurrency = 0;
  let firstSpentLine = 0;

  for (const row of table.rows) {
    try {
      const email = textOrNull(cols.get(row, 'email'));
      const phone = textOrNull(stripTextMarker(cols.get(row, 'phone'))) ?? textOrNull(stripTextMarker(cols.get(row, 'default address phone')));
      const shopifyId = stripTextMarker(cols.get(row, 'customer id'));
      if (shopifyId !== '' && !/^\d+$/.test(shopifyId)) {
        throw new RowRefusal(cols.original('customer id'), `"${shopifyId}" is not a Shopify customer id`);
      }
      let id: string;
      if (shopifyId !== '') id = `gid://shopify/Customer/${shopifyId}`;
      else if (email) id = derivedCustomerId(email);
      else if (phone) id = `${DERIVED_PREFIX}${phone.replace(/\s+/g, '')}`;
      else throw new RowRefusal(null, 'has no Customer ID, Email or Phone, so the customer cannot be identified');
      const earlier = seen.get(id);
      if (earlier !== undefined) throw new RowRefusal(null, `repeats the customer of line ${earlier}`);

      let totalSpentMinor: number | null = null;
      const spentRaw = cols.get(row, 'total spent');
      if (spentRaw !== '' && storeCurrency) {
        totalSpentMinor = cols.read(row, 'total spent', (raw) => parseMoneyMinor(raw, storeCurrency));
      }
      const ordersRaw = cols.get(row, 'total orders');
      customers.push({
        line: row.line,
        id,
        email,
        phone,
        firstName: textOrNull(cols.get(row, 'first name')),
        lastName: textOrNull(cols.get(row, 'last name')),
        totalOrders: ordersRaw === '' ? null : cols.read(row, 'total orders', (raw) => parseWholeNumber(raw)),
        totalSpentMinor,
        currency: totalSpentMinor === null ? null : storeCurrency,
        acceptsEmail: acceptsEmailKey ? cols.read(row, acceptsEmailKey, (raw) => parseFlag(raw, 0)) : 0,
        acceptsSms: cols.has('accepts sms marketing') ? cols.read(row, 'accepts sms marketing', (raw) => parseFlag(raw, 0)) : 0,
        tags: cols.get(row, 'tags'),
      });
      seen.set(id, row.line);
      if (spentRaw !== '' && !storeCurrency) {
        spentUnknownCurrency += 1;
        firstSpentLine ||= row.line;
      }
    } catch (err) {
      if (!(err instanceof RowRefusal)) throw err;
      refused.push(problem(file, row.line, err.column, err.message));
    }
  }
  if (spentUnknownCurrency > 0) {
    warnings.push(
      problem(file, firstSpentLine, cols.original('total spent'),
        `${spentUnknownCurrency} amount(s) were not stored: the store's currency is not known yet (import an orders export too)`),
    );
  }
  return { customers, refused, warnings };
}

/**
 * The customer an order with `email` belongs to: one known by Shopify id first, else the derived
 * 'csv-customer:<email>' row if stored, else null.
 */
export function customerForEmail(db: Db, email: string): string | null {
  const row = prepared(
    db,
    `SELECT id FROM customers WHERE lower(email) = lower(?)
     ORDER BY CASE WHEN id LIKE '${DERIVED_PREFIX}%' THEN 1 ELSE 0 END, id LIMIT 1`,
  ).get(email) as { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * Stores a customers export, then points the orders with each customer's email at that customer and
 * drops derived 'csv-customer:' rows the export has replaced (no order refers to them any more).
 */
export function writeCustomers(db: Db, read: CustomersRead, now: string, tally: Tally): void {
  for (const c of read.customers) {
    const values: Record<string, SqlValue> = {
      email: c.email,
      phone: c.phone,
      first_name: c.firstName,
      last_name: c.lastName,
      total_orders: c.totalOrders,
      accepts_email_marketing: c.acceptsEmail,
      accepts_sms_marketing: c.acceptsSms,
      tags: c.tags,
    };
    if (c.totalSpentMinor !== null) {
      values['total_spent_minor'] = c.totalSpentMinor;
      values['currency'] = c.currency;
    }
    count(tally, upsertRow(db, 'customers', { id: c.id }, values, now));
    if (!c.email) continue;
    const owner = customerForEmail(db, c.email);
    if (!owner) continue;
    prepared(db, 'UPDATE orders SET customer_id = ? WHERE lower(email) = lower(?) AND customer_id IS NOT ?').run(owner, c.email, owner);
    if (!owner.startsWith(DERIVED_PREFIX)) {
      prepared(
        db,
        'DELETE FROM customers WHERE id = ? AND NOT EXISTS (SELECT 1 FROM orders WHERE customer_id = customers.id)',
      ).run(derivedCustomerId(c.email));
    }
  }
}

/**
 * Makes sure an order's customer row exists before the order refers to it (foreign key), creating a
 * bare derived row when no customer has this email.
 * @returns the customer id and whether a row was created.
 */
export function ensureCustomerForOrder(db: Db, email: string, now: string): { id: string; created: boolean } {
  const existing = customerForEmail(db, email);
  if (existing) return { id: existing, created: false };
  const id = derivedCustomerId(email);
  prepared(db, 'INSERT INTO customers (id, email, updated_at) VALUES (?, ?, ?)').run(id, email.trim(), now);
  return { id, created: true };
}

interface StoredCustomer {
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  total_orders: number | null;
  total_spent_minor: number | null;
  currency: string | null;
}

/** What the orders of one email say, as the per-email subqueries of {@link refreshDerivedCustomers} read it. */
interface OrdersOfEmail {
  /** The latest order's [email, customer_name, phone, accepts_marketing, currency], as JSON; null without orders. */
  latest: string | null;
  named: string | null;
  withPhone: string | null;
  n: number;
  spent: number;
}

/**
 * Recomputes the derived facts of customers 'csv-customer:<email>' from the stored orders (see the
 * module comment for the rules). Does nothing for an email a Shopify-id customer owns.
 *
 * The orders are read in one statement for all the emails, each email through the same indexed
 * subqueries (orders_email_lower) a lookup per email made — 30,000 round trips for an export with
 * 5,000 customers — so the latest order of an email is the same row it was.
 * @param emails each email with whether its row was created in this run (then consent comes from
 *   the latest order); distinct case-insensitively.
 * @returns per email, in order: what happened to the customer row, or null when the email belongs
 *   to another customer.
 */
export function refreshDerivedCustomers(db: Db, emails: readonly { email: string; created: boolean }[], now: string): (Outcome | null)[] {
  const getStored = prepared(
    db,
    'SELECT email, phone, first_name, last_name, total_orders, total_spent_minor, currency FROM customers WHERE id = ?',
  );
  const stored = emails.map(({ email }) => getStored.get(derivedCustomerId(email)) as StoredCustomer | undefined);
  // [email, the stored customer's currency or null], for the emails that have a derived customer.
  const asked = emails.flatMap(({ email }, i) => (stored[i] ? [[email, stored[i].currency]] : []));
  const rows = db
    .prepare(
      `WITH e AS (SELECT key AS k, json_extract(value, '$[0]') AS email, json_extract(value, '$[1]') AS currency FROM json_each(?)),
       r AS (
         SELECT e.k, e.email, e.currency,
                (SELECT json_array(email, customer_name, phone, accepts_marketing, currency) FROM orders
                  WHERE lower(email) = lower(e.email) ORDER BY created_at DESC LIMIT 1) AS latest,
                (SELECT customer_name FROM orders WHERE lower(email) = lower(e.email) AND customer_name IS NOT NULL
                  ORDER BY created_at DESC LIMIT 1) AS named,
                (SELECT phone FROM orders WHERE lower(email) = lower(e.email) AND phone IS NOT NULL ORDER BY created_at DESC LIMIT 1) AS withPhone,
                (SELECT count(*) FROM orders WHERE lower(email) = lower(e.email)) AS n
           FROM e
       )
       SELECT latest, named, withPhone, n,
              (SELECT coalesce(sum(total_minor), 0) FROM orders WHERE lower(email) = lower(r.email)
                  AND currency = coalesce(r.currency, json_extract(r.latest, '$[4]')) AND cancelled_at IS NULL) AS spent
         FROM r ORDER BY r.k`,
    )
    .all(JSON.stringify(asked)) as OrdersOfEmail[];

  let k = 0;
  return emails.map(({ email, created }, i): Outcome | null => {
    const s = stored[i];
    if (!s) return null;
    const o = rows[k++]!;
    if (o.latest === null) return 'unchanged';
    const [latestEmail, , , acceptsMarketing, latestCurrency] = JSON.parse(o.latest) as [string | null, string | null, string | null, number, string];
    const currency = s.currency ?? latestCurrency;
    const [first, ...rest] = (o.named ?? '').trim().split(/\s+/).filter(Boolean);
    const values: Record<string, SqlValue> = {
      email: s.email ?? latestEmail,
      phone: s.phone ?? o.withPhone ?? null,
      first_name: s.first_name ?? first ?? null,
      last_name: s.last_name ?? (rest.length ? rest.join(' ') : null),
      total_orders: Math.max(s.total_orders ?? 0, o.n),
      total_spent_minor: Math.max(s.total_spent_minor ?? 0, o.spent),
      currency,
    };
    if (created) values['accepts_email_marketing'] = acceptsMarketing;
    return upsertRow(db, 'customers', { id: derivedCustomerId(email) }, values, now);
  });
}
