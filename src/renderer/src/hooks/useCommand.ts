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
  const [state, setState] = useState<{
    key: string | null;
    data: CommandOutput<C> | undefined;
    error: string | null;
    errorCode: string | null;
  }>({ key: null, data: undefined, error: null, errorCode: null });
  const [refreshing, setRefreshing] = useState(false);
  // Input objects are usually literals, new on every render; their JSON is the real identity.
  const inputKey = JSON.stringify(input);
  const requestSeq = useRef(0);

  // State is only set when the answer arrives, never synchronously in the effect that asks.
  const fetchNow = useCallback((): Promise<void> => {
    const seq = ++requestSeq.current;
    return call(name, JSON.parse(inputKey) as CommandInput<C>)
      .then(
        (value) => {
          // A slower, older request must not overwrite a newer answer.
          if (seq === requestSeq.current) setState({ key: inputKey, data: value, error: null, errorCode: null });
        },
        (err: unknown) => {
          if (seq !== requestSeq.current) return;
          setState((s) => ({
            ...s,
            key: inputKey,
            error: err instanceof Error ? err.message : String(err),
            errorCode: err instanceof CommandError ? err.code : 'INTERNAL',
          }));
        },
      )
      .finally(() => {
        if (seq === requestSeq.current) setRefreshing(false);
      });
  }, [name, inputKey]);

  useEffect(() => {
    void fetchNow();
  }, [fetchNow]);

  const reload = useCallback(async (): Promise<void> => {
    setRefreshing(true);
    await fetchNow();
  }, [fetchNow]);

  const refreshKey = refreshOn.join(',');
  useEvent('data.changed', (payload) => {
    const wanted = refreshKey.split(',');
    if (payload.views.some((v) => wanted.includes(v))) void reload();
  });

  const loading = state.key !== inputKey || refreshing;
  return { data: state.data, error: state.error, errorCode: state.errorCode, loading, reload };
}
