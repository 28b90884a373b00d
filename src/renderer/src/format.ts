/** Display helpers: relative times, dates in the store's time zone, money, plurals. Pure functions. */
import type { Segment } from '../../shared/domain';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "in 3 days", "2 hours ago", "now" — of `iso` as seen from `nowIso`. */
export function relativeTime(iso: string, nowIso: string): string {
  const diff = Date.parse(iso) - Date.parse(nowIso);
  if (Number.isNaN(diff)) return '';
  const abs = Math.abs(diff);
  if (abs < MINUTE) return 'now';
  if (abs < HOUR) return relative.format(Math.round(diff / MINUTE), 'minute');
  if (abs < 2 * DAY) return relative.format(Math.round(diff / HOUR), 'hour');
  return relative.format(Math.round(diff / DAY), 'day');
}

/** "Due in 3 days" / "Due now" (overdue steps run at the next scheduler tick, so "now" is honest). */
export function dueLabel(dueAt: string | null, nowIso: string): string {
  if (!dueAt) return 'When triggered';
  if (Date.parse(dueAt) <= Date.parse(nowIso)) return 'Due now';
  return `Due ${relativeTime(dueAt, nowIso)}`;
}

/** Date and time in the store's time zone, e.g. "May 11, 2025, 9:55 AM". Falls back to the local zone. */
export function formatDateTime(iso: string, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(date); // unknown zone name in settings
  }
}

/** "1 day" / "3 days". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Minor units (cents) to a dollar amount for an input field, e.g. 50000 → "500.00". */
export function minorToDollars(minor: number): string {
  return (minor / 100).toFixed(2);
}

/** A dollar amount typed by a person to minor units; null when it is not a non-negative amount. */
export function dollarsToMinor(text: string): number | null {
  const cleaned = text.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
  return Math.round(Number(cleaned) * 100);
}

/** File sizes as people read them: "820 B", "14.2 KB", "3.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "eta_beyond_limit" → "Eta beyond limit"; keeps words that are already capitalised. */
export function humanize(code: string): string {
  const words = code.replace(/[_.-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Chip text of a customer segment. */
export const segmentLabels: Record<Segment, string> = {
  vip: 'VIP',
  first_time: 'First-time buyer',
  high_value: 'High value',
};
