import { describe, expect, it } from 'vitest';
import { TimeoutError, withTimeout, type Timers } from './timeout';

/** Timers that fire only when told to. */
function manualTimers() {
    const pending = new Map<number, () => void>();
    let id = 0;
    const timers: Timers = {
        setTimeout: (fn) => {
            pending.set(++id, fn);
            return id;
        },
        clearTimeout: (h) => void pending.delete(h as number),
    };
    return { timers, pending, fireAll: () => [...pending.values()].forEach((fn) => fn()) };
}

describe('withTimeout', () => {
    it('resolves with the value and clears its timer', async () => {
        const t = manualTimers();
        await expect(withTimeout(Promise.resolve(7), '5s', t.timers)).resolves.toBe(7);
        expect(t.pending.size).toBe(0);
    });

    it('rejects with a readable TimeoutError', async () => {
        const t = manualTimers();
        const pending = withTimeout(new Promise(() => {}), '1m30s', t.timers);
        t.fireAll();
        await expect(pending).rejects.toThrow(TimeoutError);
        await expect(pending).rejects.toThrow('timed out after 1m 30s');
    });
});
