import { describe, expect, it } from "vitest";
import { mapPool } from "./pool";
import { renderThumbnails } from "./thumbnails";

/** A manually resolved promise, so tests control completion order without timers. */
function deferred<T>() {
    let resolve!: (value: T) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("mapPool", () => {
    it("keeps input order when calls finish out of order", async () => {
        const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
        const pending = mapPool([0, 1, 2], (i) => gates[i].promise, { concurrency: 3 });
        gates[2].resolve("c");
        gates[0].resolve("a");
        gates[1].resolve("b");
        await expect(pending).resolves.toEqual(["a", "b", "c"]);
    });

    it("never has more than `concurrency` calls in flight", async () => {
        let inFlight = 0;
        let peak = 0;
        const started: number[] = [];
        const result = await mapPool(
            [1, 2, 3, 4, 5, 6, 7],
            async (n, index) => {
                started.push(index);
                inFlight++;
                peak = Math.max(peak, inFlight);
                await tick();
                inFlight--;
                return n * 10;
            },
            { concurrency: 3 },
        );
        expect(result).toEqual([10, 20, 30, 40, 50, 60, 70]);
        expect(peak).toBe(3);
        expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it("resolves an empty list without calling fn", async () => {
        let calls = 0;
        await expect(mapPool([], async () => ++calls, { concurrency: 2 })).resolves.toEqual([]);
        expect(calls).toBe(0);
    });

    it("fails fast and starts nothing after a rejection", async () => {
        const started: number[] = [];
        const pending = mapPool(
            [0, 1, 2, 3, 4],
            async (i) => {
                started.push(i);
                await tick();
                if (i === 1) throw new Error(`item ${i} failed`);
                return i;
            },
            { concurrency: 2 },
        );
        await expect(pending).rejects.toThrow("item 1 failed");
        await tick();
        await tick();
        expect(started).toEqual([0, 1, 2]);
    });

    it("stops on abort with the signal's reason", async () => {
        const controller = new AbortController();
        const started: number[] = [];
        const pending = mapPool(
            [0, 1, 2, 3],
            async (i) => {
                started.push(i);
                if (i === 0) controller.abort(new Error("user cancelled"));
                await tick();
                return i;
            },
            { concurrency: 1, signal: controller.signal },
        );
        await expect(pending).rejects.toThrow("user cancelled");
        expect(started).toEqual([0]);
    });

    it("rejects a bad concurrency", async () => {
        await expect(mapPool([1], async (x) => x, { concurrency: 0 })).rejects.toThrow(RangeError);
    });
});

describe("renderThumbnails", () => {
    it("renders every source with the max edge", async () => {
        const calls: string[] = [];
        const thumbs = await renderThumbnails(
            ["a.jpg", "b.png"],
            async (source, edge) => {
                calls.push(`${source}@${edge}`);
                return new Uint8Array(source.length);
            },
            { maxEdge: 128, concurrency: 1 },
        );
        expect(thumbs).toEqual([
            { source: "a.jpg", bytes: 5 },
            { source: "b.png", bytes: 5 },
        ]);
        expect(calls).toEqual(["a.jpg@128", "b.png@128"]);
    });
});
