/**
 * Phone numbers in a customer's reply, so a callback task carries the number to call.
 * Accepts the shapes customers type: "555-201-3344", "(415) 555-0172", "+44 7700 900123",
 * "07700 900123", "415.555.0172". A run of 7–15 digits (ITU-T E.164 allows at most 15) with
 * optional separators; order numbers ("#1042") and dates are not numbers to call.
 */

const CANDIDATE = /(?<![\w#/])(\+?\(?\d[\d\s().-]{5,22}\d)(?![\w/])/g;

/** The first phone number in `text` as written (trimmed), or null. */
export function findPhone(text: string): string | null {
  for (const m of text.matchAll(CANDIDATE)) {
    const raw = m[1]!.trim();
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    // A date like 2025-03-04 or 03.04.2025 is not a phone number.
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(raw) || /^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) continue;
    return raw;
  }
  return null;
}
