type Listener<T> = (payload: T) => void

/**
 * A typed event emitter: `Events` maps event names to payload types, so `emit('saved', payload)`
 * is checked against the listeners' parameter type.
 */
export class Emitter<Events extends Record<string, unknown>> {
  private listeners: { [E in keyof Events]?: Listener<Events[E]>[] } = {}

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    const list = (this.listeners[event] ??= [])
    list.push(listener)
    return () => this.off(event, listener)
  }

  /** Adds a listener that removes itself before its first call. */
  once<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    const wrapper: Listener<Events[E]> = (payload) => {
      this.off(event, wrapper)
      listener(payload)
    }
    return this.on(event, wrapper)
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    const list = this.listeners[event]
    if (!list) return
    const index = list.indexOf(listener)
    if (index !== -1) list.splice(index, 1)
  }

  /** Calls the listeners of `event` in registration order; returns how many were called. */
  emit<E extends keyof Events>(event: E, payload: Events[E]): number {
    const list = this.listeners[event]
    if (!list) return 0
    let called = 0
    for (let i = 0; i < list.length; i++) {
      list[i](payload)
      called++
    }
    return called
  }

  listenerCount(event: keyof Events): number {
    return this.listeners[event]?.length ?? 0
  }
}
