export interface Job<T> {
  id: string
  payload: T
  /** Higher runs first; default 0. */
  priority: number
  /** Attempts started so far. */
  attempts: number
}

/** Does the work for one job; a rejection counts as a failed attempt. */
export type Handler<T> = (payload: T, job: Job<T>) => Promise<void>
