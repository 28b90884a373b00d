/**
 * Loads a read command's output and keeps it fresh: reloads when the input changes and when the
 * core announces `data.changed` for one of the given views. While reloading, the previous data stays
 * on screen so lists do not flicker.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CommandInput, CommandName, CommandOutput, EventPayloads } from '../../../shared/contract';
import { call, CommandError } from '../client';
import { useEvent } from './useEvent';

/** The view names `data.changed` carries. */
export type DataView = EventPayloads['data.changed']['views'][number];

export interface CommandState<T> {
  data: T | undefined;
  /** Message of the last failed load, cleared by the next successful one. */
  error: string | null;
  /** The envelope's error code of that failure ('TRANSPORT' when the app could not be reached). */
  errorCode: string | null;
  loading: boolean;
  /** Loads again now; resolves when done (never rejects, failures land in `error`). */
  reload: () => Promise<void>;
}

/** Runs `name` with `input` on mount, on input change and on matching `data.changed` events. */
export function useCommand<C extends CommandName>(
  name: C,
  input: CommandInput<C>,
  refreshOn: readonly DataView[],
): CommandState<CommandOutput<C>> {
  const [data, setData] = useState<CommandOutput<C> | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  // Input objects are usually literals, new on every render; their JSON is the real identity.
  const inputKey = JSON.stringify(input);
  const requestSeq = useRef(0);

  const reload = useCallback(async (): Promise<void> => {
    const seq = ++requestSeq.current;
    setLoading(true);
    try {
      const value = await call(name, JSON.parse(inputKey) as CommandInput<C>);
      // A slower, older request must not overwrite a newer answer.
      if (seq !== requestSeq.current) return;
      setData(value);
      setError(null);
      setErrorCode(null);
    } catch (err) {
      if (seq !== requestSeq.current) return;
      setError(err instanceof Error ? err.message : String(err));
      setErrorCode(err instanceof CommandError ? err.code : 'INTERNAL');
    } finally {
      if (seq === requestSeq.current) setLoading(false);
    }
  }, [name, inputKey]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const refreshKey = refreshOn.join(',');
  useEvent('data.changed', (payload) => {
    const wanted = refreshKey.split(',');
    if (payload.views.some((v) => wanted.includes(v))) void reload();
  });

  return { data, error, errorCode, loading, reload };
}
