/**
 * One owner action at a time in a settings section (connect, sync now, disconnect…): which one runs
 * (`busy`, its label), the note it ended with, or the problem that stopped it. `run` clears the last
 * outcome, awaits the action (which resolves to the note to show) and calls `settled` either way, so
 * the section reloads what the action changed.
 */
import { useState } from 'react';
import { errorText } from '../client';

export interface Action {
  busy: string | null;
  note: string | null;
  problem: string | null;
  run: (label: string, action: () => Promise<string>) => void;
}

export function useAction(settled: () => void): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const run = (label: string, action: () => Promise<string>): void => {
    setBusy(label);
    setProblem(null);
    setNote(null);
    action()
      .then(setNote, (err: unknown) => setProblem(errorText(err)))
      .finally(() => {
        setBusy(null);
        settled();
      });
  };
  return { busy, note, problem, run };
}
