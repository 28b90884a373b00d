/**
 * Defaults that follow the machine. Kept apart from engine.ts so the app side does not import
 * node-llama-cpp (it loads only in the host process).
 */
import os from 'node:os';

/**
 * Threads that follow the CPU: the cores but one (left for the app and the UI), at least 1, at most
 * 8 (llama.cpp generation on CPU is memory-bound; more threads than that rarely help). On the 2-core
 * build machine this is 1, the setting STACK.md found about 300 times faster than the default there.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism() - 1));
}
