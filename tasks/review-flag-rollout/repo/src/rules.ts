export type Attribute = string | number | boolean

export interface Context {
  userId: string
  attributes?: Record<string, Attribute>
}

export type Rule =
  | { attribute: string; op: 'eq'; value: Attribute }
  | { attribute: string; op: 'in'; values: Attribute[] }
  | { attribute: string; op: 'gte'; value: number }

/** True when the context's attribute satisfies the rule; a missing attribute never matches. */
export function matches(rule: Rule, context: Context): boolean {
  const actual = context.attributes?.[rule.attribute]
  if (actual === undefined) return false
  switch (rule.op) {
    case 'eq':
      return actual === rule.value
    case 'in':
      return rule.values.includes(actual)
    case 'gte':
      return typeof actual === 'number' && actual >= rule.value
  }
}
