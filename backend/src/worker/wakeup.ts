/**
 * A loop's alarm clock (one per loop): it sleeps until its poll interval runs out or another loop wakes it because there is work
 * (the listener stored events, the keeper queued jobs or had a transaction mined). Polling stays the floor, for work
 * from elsewhere (another instance's API); the wake-ups take each step's wait off the money path.
 */
export class Wakeup {
  private woken = false;
  private waiter: (() => void) | undefined;

  /** Ends the current sleep, or the next one at once if the loop is busy now (so no wake-up is missed). */
  wake(): void {
    this.woken = true;
    this.waiter?.();
  }

  /** Sleeps `ms`, or less when woken or when `running()` turns false (checked every 100 ms). */
  async sleep(ms: number, running: () => boolean): Promise<void> {
    const until = Date.now() + ms;
    while (!this.woken && running() && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(100, until - Date.now()));
        this.waiter = done;
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
      this.waiter = undefined;
    }
    this.woken = false;
  }
}
