import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter'

type Events = { tick: number; done: void }

describe('Emitter', () => {
  it('calls listeners in order with the payload', () => {
    const emitter = new Emitter<Events>()
    const seen: string[] = []
    emitter.on('tick', (n) => seen.push(`a${n}`))
    emitter.on('tick', (n) => seen.push(`b${n}`))
    expect(emitter.emit('tick', 1)).toBe(2)
    expect(seen).toEqual(['a1', 'b1'])
  })

  it('removes a listener with the returned function', () => {
    const emitter = new Emitter<Events>()
    const seen: number[] = []
    const off = emitter.on('tick', (n) => seen.push(n))
    off()
    emitter.emit('tick', 1)
    expect(seen).toEqual([])
  })

  it('calls a once listener a single time', () => {
    const emitter = new Emitter<Events>()
    const seen: number[] = []
    emitter.once('tick', (n) => seen.push(n))
    emitter.emit('tick', 1)
    emitter.emit('tick', 2)
    expect(seen).toEqual([1])
    expect(emitter.listenerCount('tick')).toBe(0)
  })

  it('still calls the next listener when a once listener comes first', () => {
    const emitter = new Emitter<Events>()
    const seen: string[] = []
    emitter.once('tick', () => seen.push('once'))
    emitter.on('tick', () => seen.push('always'))
    expect(emitter.emit('tick', 1)).toBe(2)
    expect(seen).toEqual(['once', 'always'])
  })
})
