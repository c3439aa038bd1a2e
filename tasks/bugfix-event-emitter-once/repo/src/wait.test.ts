import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter'
import { waitFor } from './wait'

type Events = { ready: string }

describe('waitFor', () => {
  it('resolves with the next payload', async () => {
    const emitter = new Emitter<Events>()
    const pending = waitFor(emitter, 'ready')
    emitter.emit('ready', 'yes')
    await expect(pending).resolves.toBe('yes')
    expect(emitter.listenerCount('ready')).toBe(0)
  })

  it('rejects and cleans up on abort', async () => {
    const emitter = new Emitter<Events>()
    const controller = new AbortController()
    const pending = waitFor(emitter, 'ready', controller.signal)
    controller.abort(new Error('timed out'))
    await expect(pending).rejects.toThrow('timed out')
    expect(emitter.listenerCount('ready')).toBe(0)
  })
})
