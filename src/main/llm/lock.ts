/**
 * A readers–writer lock for the model's lifecycle: drafts hold it shared, loading and disposing a
 * model hold it exclusive, so a model is never disposed under a running generation and a new one
 * waits until the running drafts end. Writers are preferred so a load is not starved by a batch.
 */
export class LifecycleLock {
  private readers = 0;
  private writer = false;
  private queue: { exclusive: boolean; start: () => void }[] = [];

  /** Runs `fn` while holding the lock shared (many at once). */
  shared<T>(fn: () => Promise<T>): Promise<T> {
    return this.run(false, fn);
  }

  /** Runs `fn` while holding the lock alone. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.run(true, fn);
  }

  private run<T>(exclusive: boolean, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        if (exclusive) this.writer = true;
        else this.readers++;
        fn().then(resolve, reject).finally(() => {
          if (exclusive) this.writer = false;
          else this.readers--;
          this.pump();
        });
      };
      this.queue.push({ exclusive, start });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const next = this.queue[0]!;
      if (this.writer) return;
      if (next.exclusive) {
        if (this.readers > 0) return;
        this.queue.shift();
        next.start();
        return;
      }
      this.queue.shift();
      next.start();
    }
  }
}
