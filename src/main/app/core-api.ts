/**
 * What the front doors (Electron IPC, web mode, CLI) see of the core: one dispatcher over the
 * contract and one event emitter. Input is validated against the contract's zod schema inside
 * `dispatch`, so no front door can skip validation.
 */
import type { CommandName, CommandOutput, EventName, EventPayloads } from '../../shared/contract';
import type { Result } from '../../shared/result';

export interface CoreApi {
  /** Runs one contract command; never throws (errors come back in the envelope). */
  dispatch<C extends CommandName>(name: C, input: unknown): Promise<Result<CommandOutput<C>>>;
  /** Subscribes to a core event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Closes the database and stops timers. */
  close(): void;
}
