import { describe, expect, it } from 'vitest'
import { ConfigSchema } from './schema'

const base = { databaseUrl: 'postgres://db/shop', sessionSecret: 'x'.repeat(32) }

describe('ConfigSchema', () => {
  it('applies defaults', () => {
    expect(ConfigSchema.parse(base)).toEqual({
      ...base,
      port: 3000,
      logLevel: 'info',
      corsOrigins: [],
      maintenanceMode: false,
    })
  })

  it('coerces strings', () => {
    const config = ConfigSchema.parse({ ...base, port: '8080', corsOrigins: 'a.com, b.com,', maintenanceMode: 'yes' })
    expect(config).toMatchObject({ port: 8080, corsOrigins: ['a.com', 'b.com'], maintenanceMode: true })
  })

  it('only accepts postgres URLs', () => {
    expect(ConfigSchema.safeParse({ ...base, databaseUrl: 'mysql://db/shop' }).success).toBe(false)
  })
})
