/**
 * Runs tasks one after another per key, tasks of different keys side by side. One instance belongs to one service
 * (never module state). Used where two writers of the same jobs must not interleave their read-then-write, e.g.
 * the SLA jobs of one ticket (src/sla/jobs.ts): a sweep that read the ticket before a claim must not schedule after
 * the claim's own re-sync. In-process only: across instances the job handlers' own re-checks keep a stale job harmless.
 */
export class KeyedChain {
  private readonly tails = new Map<string, Promise<unknown>>();

  /**
   * Runs `task` after every task queued earlier under `key` has settled (a failed one does not block the next).
   * Resolves or rejects with `task`'s own outcome. The key is forgotten once its last task has settled.
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests and logs). */
  get size(): number {
    return this.tails.size;
  }
}
