/**
 * Builders for Shopify admin CSV exports in their current layouts, for tests and the benchmark.
 * The orders header is the 79-column one the admin produced in 2025 (see
 * ../shared/corpus/shopify/csv/forezia-mock-data/orders_export.csv).
 */
export const ORDERS_HEADER =
  'Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References';

export const PRODUCTS_HEADER =
  'Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Status';

const quote = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One CSV from a header and rows given as column → value (missing columns are empty). */
export function csv(header: string, rows: Record<string, string | number>[]): string {
  const cols = header.split(',');
  return [header, ...rows.map((r) => cols.map((c) => quote(String(r[c] ?? ''))).join(','))].join('\n') + '\n';
}

export interface OrderSpec {
  name: string;
  id: number;
  email: string;
  billingName: string;
  createdAt: string; // "2026-11-02 10:00:00 -0500"
  total: string;
  fulfillment?: 'unfulfilled' | 'fulfilled' | 'partial';
  fulfilledAt?: string;
  cancelledAt?: string;
  lines: { qty: number; name: string; price: string; sku: string; status?: 'pending' | 'fulfilled' }[];
}

/** An orders export: order-level fields on each order's first row only, as the admin writes it. */
export function ordersExport(orders: OrderSpec[]): string {
  const rows: Record<string, string | number>[] = [];
  for (const o of orders) {
    o.lines.forEach((l, i) => {
      const row: Record<string, string | number> = {
        Name: o.name,
        Email: o.email,
        'Created at': o.createdAt,
        'Lineitem quantity': l.qty,
        'Lineitem name': l.name,
        'Lineitem price': l.price,
        'Lineitem sku': l.sku,
        'Lineitem requires shipping': 'true',
        'Lineitem taxable': 'true',
        'Lineitem fulfillment status': l.status ?? 'pending',
      };
      if (i === 0) {
        Object.assign(row, {
          'Financial Status': o.cancelledAt ? 'refunded' : 'paid',
          'Paid at': o.createdAt,
          'Fulfillment Status': o.fulfillment ?? 'unfulfilled',
          'Fulfilled at': o.fulfilledAt ?? '',
          'Accepts Marketing': 'no',
          Currency: 'USD',
          Subtotal: o.total,
          Shipping: '0.00',
          Taxes: '0.00',
          Total: o.total,
          'Billing Name': o.billingName,
          'Cancelled at': o.cancelledAt ?? '',
          Id: o.id,
          'Risk Level': 'Low',
          Source: 'web',
        });
      }
      rows.push(row);
    });
  }
  return csv(ORDERS_HEADER, rows);
}

export interface VariantSpec {
  handle: string;
  title: string;
  option?: string;
  sku: string;
  qty: number;
  policy: 'deny' | 'continue';
  price: string;
  vendor?: string;
}

/** A products export; product-level fields on each product's first row only. */
export function productsExport(variants: VariantSpec[]): string {
  const seen = new Set<string>();
  return csv(
    PRODUCTS_HEADER,
    variants.map((v) => {
      const first = !seen.has(v.handle);
      seen.add(v.handle);
      return {
        Handle: v.handle,
        ...(first ? { Title: v.title, Vendor: v.vendor ?? 'Acme Supply', Type: 'Gear', Published: 'true', 'Option1 Name': v.option ? 'Color' : 'Title', Status: 'active' } : {}),
        'Option1 Value': v.option ?? 'Default Title',
        'Variant SKU': v.sku,
        'Variant Inventory Tracker': 'shopify',
        'Variant Inventory Qty': v.qty,
        'Variant Inventory Policy': v.policy,
        'Variant Fulfillment Service': 'manual',
        'Variant Price': v.price,
        'Variant Requires Shipping': 'true',
        'Variant Taxable': 'true',
      };
    }),
  );
}
