type Listener<P> = (payload: P) => void

/** A small typed event emitter: `E` maps event names to payload types. */
export class Emitter<E extends Record<string, unknown>> {
  private readonly listeners: { [K in keyof E]?: Set<Listener<E[K]>> } = {}

  /** Subscribes; returns a function that unsubscribes. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const set = (this.listeners[event] ??= new Set())
    set.add(listener)
    return () => set.delete(listener)
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    // Copy first: a listener may unsubscribe itself while we iterate.
    for (const listener of [...(this.listeners[event] ?? [])]) listener(payload)
  }
}
