/** A counting semaphore. */
class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;
  constructor(private readonly capacity: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.capacity) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

/** Per-endpoint request limits; several keys are taken in sorted order so two jobs never deadlock. */
export class EndpointLimits {
  private readonly semaphores = new Map<string, Semaphore>();
  constructor(private readonly perEndpoint: number) {}

  async run<T>(keys: string[], job: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.semaphore(key).acquire());
      return await job();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private semaphore(key: string): Semaphore {
    let semaphore = this.semaphores.get(key);
    if (!semaphore) {
      semaphore = new Semaphore(this.perEndpoint);
      this.semaphores.set(key, semaphore);
    }
    return semaphore;
  }
}
