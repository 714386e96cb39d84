/** A manual clock for unit tests of the timing layers: time moves only when `advance` is called. */
export class FakeClock {
  private t = 0;
  private timers: Array<{ at: number; resolve: () => void }> = [];
  /** Every `sleep` asked for, in ms. */
  readonly sleeps: number[] = [];

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    return new Promise((resolve) => this.timers.push({ at: this.t + ms, resolve }));
  };

  /** Moves time forward, firing due timers in order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await flush();
    }
    this.t = target;
    await flush();
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}

/** Lets every queued promise continuation run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
