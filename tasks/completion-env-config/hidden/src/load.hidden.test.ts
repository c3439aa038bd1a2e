import { describe, expect, it } from 'vitest'
import { ConfigError } from './errors'
import { loadConfig } from './load'

const SECRET = 'correct-horse-battery-staple-0123456789'
const env = {
  DATABASE_URL: 'postgres://app:hunter2@db:5432/shop',
  SESSION_SECRET: SECRET,
}

function failure(vars: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(vars)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('loadConfig', () => {
  it('reads env variables and applies defaults', () => {
    expect(loadConfig({ ...env, PORT: '8080', CORS_ORIGINS: 'https://a.test,https://b.test' })).toEqual({
      port: 8080,
      databaseUrl: env.DATABASE_URL,
      logLevel: 'info',
      corsOrigins: ['https://a.test', 'https://b.test'],
      sessionSecret: SECRET,
      maintenanceMode: false,
    })
  })

  it('treats empty and blank variables as unset and trims values', () => {
    const config = loadConfig({ ...env, PORT: '', LOG_LEVEL: '   ', MAINTENANCE_MODE: ' on ' })
    expect(config).toMatchObject({ port: 3000, logLevel: 'info', maintenanceMode: true })
  })

  it('ignores unrelated variables', () => {
    expect(loadConfig({ ...env, HOME: '/root', port: 'nope' }).port).toBe(3000)
  })

  it('names every invalid variable, in schema order', () => {
    const error = failure({ PORT: '99999', LOG_LEVEL: 'loud', SESSION_SECRET: 'short' })
    expect(error.issues.map((issue) => issue.split(':')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'LOG_LEVEL',
      'SESSION_SECRET',
    ])
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- PORT: /)
  })

  it('never echoes values', () => {
    const error = failure({ ...env, DATABASE_URL: 'mysql://app:hunter2@db/shop', SESSION_SECRET: 'tiny-secret' })
    expect(error.message).not.toMatch(/hunter2|tiny-secret/)
    expect(error.issues).toHaveLength(2)
  })
})
