import type { Emitter } from './emitter'

/**
 * Resolves with the next payload of `event`, or rejects with the signal's reason when `signal`
 * aborts first. The listener is removed either way.
 */
export function waitFor<Events extends Record<string, unknown>, E extends keyof Events>(
  emitter: Emitter<Events>,
  event: E,
  signal?: AbortSignal,
): Promise<Events[E]> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      remove()
      reject(signal?.reason)
    }
    const remove = emitter.once(event, (payload) => {
      signal?.removeEventListener('abort', onAbort)
      resolve(payload)
    })
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
