import { formatDuration, parseDuration } from './duration';

export class TimeoutError extends Error {
    constructor(readonly ms: number) {
        super(`timed out after ${formatDuration(ms)}`);
        this.name = 'TimeoutError';
    }
}

export interface Timers {
    setTimeout(fn: () => void, ms: number): unknown;
    clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Rejects with TimeoutError when `work` has not settled within `limit` ("30s", "2m", or ms). */
export function withTimeout<T>(work: Promise<T>, limit: string | number, timers: Timers = realTimers): Promise<T> {
    const ms = typeof limit === 'number' ? limit : parseDuration(limit);
    return new Promise<T>((resolve, reject) => {
        const handle = timers.setTimeout(() => reject(new TimeoutError(ms)), ms);
        work.then(
            (value) => {
                timers.clearTimeout(handle);
                resolve(value);
            },
            (err: unknown) => {
                timers.clearTimeout(handle);
                reject(err);
            },
        );
    });
}
