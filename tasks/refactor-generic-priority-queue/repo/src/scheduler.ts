import { MinHeap } from './heap';

export interface Job {
  id: string;
  /** Epoch ms. */
  runAt: number;
}

/** Hands out jobs in `runAt` order; jobs due at the same instant come out in scheduling order. */
export class Scheduler {
  // The heap only holds numbers, so it orders the distinct times and the jobs wait in buckets.
  private readonly times = new MinHeap();
  private readonly byTime = new Map<number, Job[]>();

  schedule(job: Job): void {
    const bucket = this.byTime.get(job.runAt);
    if (bucket) {
      bucket.push(job);
    } else {
      this.byTime.set(job.runAt, [job]);
      this.times.push(job.runAt);
    }
  }

  /** Removes and returns every job due at or before `now`, earliest first. */
  due(now: number): Job[] {
    const out: Job[] = [];
    while (this.times.size > 0 && (this.times.peek() as number) <= now) {
      const t = this.times.pop() as number;
      out.push(...(this.byTime.get(t) ?? []));
      this.byTime.delete(t);
    }
    return out;
  }

  get pending(): number {
    let n = 0;
    for (const bucket of this.byTime.values()) n += bucket.length;
    return n;
  }
}
