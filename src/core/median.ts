/**
 * Median of a non-empty list of numbers: the middle value, or the mean of the middle two for an even
 * count. Pure; the input is not reordered.
 * @throws RangeError for an empty list (a median of nothing would be a made-up number)
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
