import { evaluate, type Evaluation, type Flag } from './evaluate'
import type { Context } from './rules'

export interface StoreOptions {
  /**
   * Value for keys the store does not know (a typo, or config not synced yet). Default false:
   * an unknown key must never switch an unfinished feature on.
   */
  defaultValue: boolean
  /** Called once per unknown key so typos show up in the logs. */
  onUnknownFlag: (key: string) => void
}

const DEFAULT_OPTIONS: StoreOptions = {
  defaultValue: true,
  onUnknownFlag: () => {},
}

export class FlagStore {
  private flags = new Map<string, Flag>()
  private readonly warned = new Set<string>()
  private readonly options: StoreOptions

  constructor(options: Partial<StoreOptions> = {}) {
    this.options = Object.assign(DEFAULT_OPTIONS, options)
  }

  /** Replaces every flag at once (after a config fetch). Throws when a rollout is out of range. */
  load(flags: Flag[]): void {
    const next = new Map<string, Flag>()
    for (const flag of flags) {
      if (!(flag.rollout >= 0 && flag.rollout <= 100)) {
        throw new Error(`flag ${flag.key}: rollout must be 0..100, got ${flag.rollout}`)
      }
      next.set(flag.key, flag)
    }
    this.flags = next
  }

  explain(key: string, context: Context): Evaluation {
    const flag = this.flags.get(key)
    if (!flag) {
      if (!this.warned.has(key)) {
        this.warned.add(key)
        this.options.onUnknownFlag(key)
      }
      return { on: this.options.defaultValue, reason: 'default' }
    }
    return evaluate(flag, context)
  }

  isEnabled(key: string, context: Context): boolean {
    return this.explain(key, context).on
  }
}
