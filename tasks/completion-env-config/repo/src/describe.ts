import type { AppConfig } from './schema'

/** Replaces the password in a connection URL with `***`. */
export function redactUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password !== '') parsed.password = '***'
  return parsed.toString()
}

/** One line per setting for the startup log, with secrets redacted. */
export function describeConfig(config: AppConfig): string[] {
  return [
    `port=${config.port}`,
    `database=${redactUrl(config.databaseUrl)}`,
    `logLevel=${config.logLevel}`,
    `corsOrigins=${config.corsOrigins.join(',') || '(none)'}`,
    `sessionSecret=*** (${config.sessionSecret.length} chars)`,
    `maintenanceMode=${config.maintenanceMode}`,
  ]
}
