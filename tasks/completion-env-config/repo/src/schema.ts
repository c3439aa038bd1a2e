import { z } from 'zod'

const csv = z
  .string()
  .transform((s) => s.split(',').map((part) => part.trim()).filter((part) => part !== ''))

/** Service configuration; keys are camelCase, their env variables are listed in `ENV_NAMES`. */
export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(1).max(65535).default(3000),
  databaseUrl: z.url({ protocol: /^postgres(ql)?$/ }),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  corsOrigins: csv.default([]),
  /** Signs session cookies; at least 32 characters. */
  sessionSecret: z.string().min(32),
  maintenanceMode: z.stringbool().default(false),
})

export type AppConfig = z.infer<typeof ConfigSchema>
