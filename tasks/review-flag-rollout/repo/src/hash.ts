/** 32-bit FNV-1a over UTF-16 code units: stable across processes, platforms and restarts. */
export function fnv1a32(input: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < input.length; i++) {
    hash ^= input.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** Bucket in 0..99 for a user under one flag; each flag buckets users independently. */
export function bucketOf(flagKey: string, userId: string): number {
  return fnv1a32(`${flagKey}:${userId}`) % 100
}
