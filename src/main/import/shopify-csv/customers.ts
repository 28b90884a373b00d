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
import { sqliteLower, type OrderFacts, type RunOrders } from './run-orders';
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
 *
 * Emails compare as SQLite's lower() does (ASCII letters only), and the derived row is also found by
 * its id, whose email is lower-cased fully: 'ÄB@x.com' and 'äb@x.com' differ for lower() but share
 * the id 'csv-customer:äb@x.com', and an export with both spellings must reach that one row.
 */
export function customerForEmail(db: Db, email: string): string | null {
  const row = prepared(
    db,
    `SELECT id FROM customers WHERE lower(email) = lower(?) OR id = ?
     ORDER BY CASE WHEN id LIKE '${DERIVED_PREFIX}%' THEN 1 ELSE 0 END, id LIMIT 1`,
  ).get(email, derivedCustomerId(email)) as { id: string } | undefined;
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

/** What the orders of one email say: its latest order, the latest name and phone given, the count and the spend. */
interface OrdersOfEmail {
  latest: { email: string | null; acceptsMarketing: number; currency: string };
  named: string | null;
  withPhone: string | null;
  n: number;
  spent: number;
}

/**
 * Sums the orders of one email, given newest first. Spend is summed in `spendCurrency` when given
 * (the stored customer's), else in the latest order's currency.
 */
function sumOrders(orders: Iterable<OrderFacts>, spendCurrency: string | null): OrdersOfEmail | undefined {
  let f: OrdersOfEmail | undefined;
  let currencyOfSpend = '';
  for (const o of orders) {
    if (!f) {
      f = { latest: { email: o.email, acceptsMarketing: o.acceptsMarketing, currency: o.currency }, named: null, withPhone: null, n: 0, spent: 0 };
      currencyOfSpend = spendCurrency ?? o.currency;
    }
    f.named ??= o.customerName;
    f.withPhone ??= o.phone;
    f.n += 1;
    if (o.currency === currencyOfSpend && o.cancelledAt === null) f.spent += o.totalMinor;
  }
  return f;
}

/**
 * Recomputes the derived facts of customers 'csv-customer:<email>' from the stored orders (see the
 * module comment for the rules). Does nothing for an email a Shopify-id customer owns.
 *
 * The orders of all the emails are read in one statement, each email's newest first (created_at, then
 * the later stored row on a tie, as the index orders_email_lower gives them), and summed here; or,
 * when `runOrders` is given (the run's own orders were all the orders there are), taken from it in the
 * same order without reading the table.
 * @param emails each email with whether its row was created in this run (then consent comes from
 *   the latest order); distinct case-insensitively (as SQLite's lower() compares them).
 * @returns per email, in order: what happened to the customer row, or null when the email belongs
 *   to another customer.
 */
export function refreshDerivedCustomers(
  db: Db,
  emails: readonly { email: string; created: boolean }[],
  now: string,
  runOrders: RunOrders | null = null,
): (Outcome | null)[] {
  const getStored = prepared(
    db,
    'SELECT email, phone, first_name, last_name, total_orders, total_spent_minor, currency FROM customers WHERE id = ?',
  );
  const stored = emails.map(({ email }) => getStored.get(derivedCustomerId(email)) as StoredCustomer | undefined);
  const facts = new Map<number, OrdersOfEmail>();
  if (runOrders) {
    const byEmail = runOrders.byEmail();
    emails.forEach(({ email }, i) => {
      const s = stored[i];
      const f = s ? sumOrders(byEmail.get(sqliteLower(email)) ?? [], s.currency) : undefined;
      if (f) facts.set(i, f);
    });
  } else {
    const asked = emails.flatMap(({ email }, i) => (stored[i] ? [{ email, i }] : []));
    const rows = db
      .prepare(
        `SELECT e.key AS k, o.email, o.customer_name AS customerName, o.phone, o.accepts_marketing AS acceptsMarketing, o.currency,
                o.total_minor AS totalMinor, o.cancelled_at AS cancelledAt, o.created_at AS createdAt
           FROM json_each(?) e JOIN orders o ON lower(o.email) = lower(e.value)
          ORDER BY e.key, o.created_at DESC, o.rowid DESC`,
      )
      .all(JSON.stringify(asked.map((a) => a.email))) as (OrderFacts & { k: number })[];
    let from = 0;
    while (from < rows.length) {
      const k = rows[from]!.k;
      let to = from;
      while (to < rows.length && rows[to]!.k === k) to++;
      const i = asked[k]!.i;
      const f = sumOrders(rows.slice(from, to), stored[i]!.currency);
      if (f) facts.set(i, f);
      from = to;
    }
  }

  return emails.map(({ email, created }, i): Outcome | null => {
    const s = stored[i];
    if (!s) return null;
    const o = facts.get(i);
    if (!o) return 'unchanged';
    const currency = s.currency ?? o.latest.currency;
    const [first, ...rest] = (o.named ?? '').trim().split(/\s+/).filter(Boolean);
    const values: Record<string, SqlValue> = {
      email: s.email ?? o.latest.email,
      phone: s.phone ?? o.withPhone ?? null,
      first_name: s.first_name ?? first ?? null,
      last_name: s.last_name ?? (rest.length ? rest.join(' ') : null),
      total_orders: Math.max(s.total_orders ?? 0, o.n),
      total_spent_minor: Math.max(s.total_spent_minor ?? 0, o.spent),
      currency,
    };
    if (created) values['accepts_email_marketing'] = o.latest.acceptsMarketing;
    return upsertRow(db, 'customers', { id: derivedCustomerId(email) }, values, now);
  });
}
