export class TimeoutError extends Error {
  constructor(
    readonly label: string,
    readonly ms: number,
  ) {
    super(`${label} timed out after ${ms} ms`)
    this.name = "TimeoutError"
  }
}

/** Settles like `promise`, or rejects with TimeoutError if it has not settled after `ms` ms. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    setTimeout(() => reject(new TimeoutError(label, ms)), ms)
    promise.then(resolve, reject)
  })
}
