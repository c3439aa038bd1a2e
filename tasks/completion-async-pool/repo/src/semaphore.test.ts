import { describe, expect, it } from "vitest";
import { Semaphore } from "./semaphore";

describe("Semaphore", () => {
    it("rejects a bad limit", () => {
        expect(() => new Semaphore(0)).toThrow(RangeError);
    });

    it("queues callers beyond the limit in order", async () => {
        const sem = new Semaphore(1);
        const order: string[] = [];
        const first = await sem.acquire();
        const second = sem.acquire().then((release) => {
            order.push("second");
            release();
        });
        const third = sem.acquire().then((release) => {
            order.push("third");
            release();
        });
        expect(sem.pending).toBe(2);
        first();
        await Promise.all([second, third]);
        expect(order).toEqual(["second", "third"]);
        expect(sem.pending).toBe(0);
    });

    it("releases the slot when the task throws", async () => {
        const sem = new Semaphore(1);
        await expect(sem.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
        await expect(sem.run(async () => 42)).resolves.toBe(42);
    });
});
