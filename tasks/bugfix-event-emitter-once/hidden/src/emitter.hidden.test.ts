import { describe, expect, it } from 'vitest'
import { Emitter } from './emitter'
import { DocStore } from './store'
import { waitFor } from './wait'

type Events = { tick: number }

describe('listeners removed during emit', () => {
  it('calls every listener after several once listeners', () => {
    const emitter = new Emitter<Events>()
    const seen: string[] = []
    emitter.once('tick', () => seen.push('a'))
    emitter.once('tick', () => seen.push('b'))
    emitter.on('tick', () => seen.push('c'))
    expect(emitter.emit('tick', 1)).toBe(3)
    expect(seen).toEqual(['a', 'b', 'c'])
    expect(emitter.listenerCount('tick')).toBe(1)
  })

  it('calls a listener that unsubscribes itself and the one after it', () => {
    const emitter = new Emitter<Events>()
    const seen: string[] = []
    const off = emitter.on('tick', () => {
      seen.push('self-removing')
      off()
    })
    emitter.on('tick', () => seen.push('next'))
    emitter.emit('tick', 1)
    expect(seen).toEqual(['self-removing', 'next'])
  })

  it('does not call listeners added during the emit until the next one', () => {
    const emitter = new Emitter<Events>()
    const seen: number[] = []
    emitter.once('tick', () => emitter.on('tick', (n) => seen.push(n)))
    emitter.emit('tick', 1)
    emitter.emit('tick', 2)
    expect(seen).toEqual([2])
  })

  it('lets a waitFor and the search index both see the save', async () => {
    const store = new DocStore()
    const indexed: string[] = []
    const saved = waitFor(store, 'saved')
    store.on('saved', (doc) => indexed.push(doc.title))
    store.save('d1', 'Roadmap')
    await expect(saved).resolves.toMatchObject({ id: 'd1', version: 1 })
    expect(indexed).toEqual(['Roadmap'])
  })
})
