import { ConfigError } from './errors'
import { ConfigSchema, type AppConfig } from './schema'

/** The environment variable that sets each config key. */
export const ENV_NAMES: Record<keyof AppConfig, string> = {
  port: 'PORT',
  databaseUrl: 'DATABASE_URL',
  logLevel: 'LOG_LEVEL',
  corsOrigins: 'CORS_ORIGINS',
  sessionSecret: 'SESSION_SECRET',
  maintenanceMode: 'MAINTENANCE_MODE',
}

/**
 * Builds the config from environment variables (`ENV_NAMES`), validated by `ConfigSchema`.
 * Values are trimmed; unset, empty or blank variables count as missing, so defaults apply.
 * Variables not in `ENV_NAMES` are ignored.
 *
 * Throws ConfigError listing every problem as `ENV_NAME: message` (e.g.
 * `SESSION_SECRET: Too small: …`), in schema order. Messages never contain the values, since
 * some of them are secrets.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  throw new Error('not implemented')
}
