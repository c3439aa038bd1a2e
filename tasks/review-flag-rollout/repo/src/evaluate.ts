import { bucketOf } from './hash'
import { matches, type Context, type Rule } from './rules'

export interface Flag {
  key: string
  /** Kill switch: when false the flag is off for everyone. */
  enabled: boolean
  /** Users matching every rule get the flag whatever the rollout. */
  targeting?: Rule[]
  /** Share of the remaining users, in percent (0–100), who get the flag. */
  rollout: number
  /** User ids that never get the flag (e.g. accounts under review). */
  blocked?: string[]
}

export type Reason = 'disabled' | 'blocked' | 'targeted' | 'rollout' | 'default'

export interface Evaluation {
  on: boolean
  reason: Reason
}

export function evaluate(flag: Flag, context: Context): Evaluation {
  if (!flag.enabled) return { on: false, reason: 'disabled' }
  if (flag.blocked?.includes(context.userId)) return { on: false, reason: 'blocked' }
  const targeting = flag.targeting ?? []
  if (targeting.length > 0 && targeting.every((rule) => matches(rule, context))) {
    return { on: true, reason: 'targeted' }
  }
  // Buckets are 0..99, so `rollout` percent of users fall below the threshold.
  const bucket = bucketOf(flag.key, context.userId)
  if (bucket <= flag.rollout) return { on: true, reason: 'rollout' }
  return { on: false, reason: 'default' }
}
