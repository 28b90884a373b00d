/** Subscribes a component to one contract event for as long as it is mounted. */
import { useEffect, useRef } from 'react';
import type { EventName, EventPayloads } from '../../../shared/contract';
import { subscribe } from '../client';

/**
 * Calls `listener` for every `event`. The latest listener is always used, so callers may pass an
 * inline function without resubscribing on each render.
 */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => subscribe(event, (payload) => latest.current(payload)), [event]);
}
