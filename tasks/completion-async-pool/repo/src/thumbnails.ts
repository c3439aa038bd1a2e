import { mapPool } from "./pool";

export interface Thumbnail {
    source: string;
    bytes: number;
}

export type Renderer = (source: string, maxEdge: number) => Promise<Uint8Array>;

/**
 * Renders a thumbnail for every image path, at most `concurrency` renders at a time (each render
 * holds a decoded image in memory, so unbounded parallelism runs the worker out of memory).
 */
export async function renderThumbnails(
    sources: readonly string[],
    render: Renderer,
    options: { concurrency?: number; maxEdge?: number; signal?: AbortSignal } = {},
): Promise<Thumbnail[]> {
    const maxEdge = options.maxEdge ?? 256;
    return mapPool(
        sources,
        async (source) => ({ source, bytes: (await render(source, maxEdge)).byteLength }),
        { concurrency: options.concurrency ?? 4, signal: options.signal },
    );
}
