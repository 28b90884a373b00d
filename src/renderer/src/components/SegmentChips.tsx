/** Segment chips of a customer (VIP, first-time buyer, high value). */
import type { Segment } from '../../../shared/domain';
import { segmentLabels } from '../format';

export function SegmentChips({ segments }: { segments: readonly Segment[] }): React.JSX.Element | null {
  if (segments.length === 0) return null;
  return (
    <ul className="chips" aria-label="Segments">
      {segments.map((s) => (
        <li key={s} className={`chip chip-${s}`}>
          {segmentLabels[s]}
        </li>
      ))}
    </ul>
  );
}
