import { Emitter } from './emitter'

export interface Doc {
  id: string
  title: string
  version: number
}

type StoreEvents = {
  saved: Doc
  deleted: { id: string }
}

/** In-memory document store that announces changes, e.g. to an autosave indicator and a search index. */
export class DocStore extends Emitter<StoreEvents> {
  private readonly docs = new Map<string, Doc>()

  save(id: string, title: string): Doc {
    const version = (this.docs.get(id)?.version ?? 0) + 1
    const doc = { id, title, version }
    this.docs.set(id, doc)
    this.emit('saved', doc)
    return doc
  }

  delete(id: string): boolean {
    const existed = this.docs.delete(id)
    if (existed) this.emit('deleted', { id })
    return existed
  }

  get(id: string): Doc | undefined {
    return this.docs.get(id)
  }
}
