import { describe, expect, it } from 'vitest'
import { describeConfig, redactUrl } from './describe'

describe('redactUrl', () => {
  it('hides the password only', () => {
    expect(redactUrl('postgres://app:hunter2@db:5432/shop')).toBe('postgres://app:***@db:5432/shop')
    expect(redactUrl('postgres://db/shop')).toBe('postgres://db/shop')
  })
})

describe('describeConfig', () => {
  it('never prints the secret', () => {
    const lines = describeConfig({
      port: 8080,
      databaseUrl: 'postgres://app:hunter2@db/shop',
      logLevel: 'warn',
      corsOrigins: [],
      sessionSecret: 's'.repeat(40),
      maintenanceMode: false,
    })
    expect(lines.join('\n')).not.toMatch(/hunter2|s{40}/)
    expect(lines).toContain('corsOrigins=(none)')
  })
})
