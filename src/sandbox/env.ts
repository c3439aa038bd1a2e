/**
 * The environment a sandboxed command sees: cleared, then rebuilt from an allowlist so API keys and
 * tokens held by the loop's own process never reach code a model or repository wrote.
 */

/** Host variables copied through when set. Everything else is dropped. */
export const ENV_ALLOWLIST = ['PATH', 'LANG', 'LC_ALL', 'CI', 'NODE_OPTIONS'] as const;

/** Names that look like secrets; such names are dropped even when the caller passes them in `spec.env`. */
export const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

/**
 * Builds the child's environment.
 * @param hostEnv the loop's own `process.env` (only allowlisted names are read)
 * @param extra `CommandSpec.env`; names matching {@link SECRET_NAME} are dropped
 * @param dirs `home` and `tmp` as the child sees them (inside the sandbox for bwrap)
 * @returns a fresh object; HOME, TMPDIR and TERM=dumb always set
 */
export function buildSandboxEnv(
  hostEnv: Record<string, string | undefined>,
  extra: Record<string, string> | undefined,
  dirs: { home: string; tmp: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ENV_ALLOWLIST) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (SECRET_NAME.test(name)) continue;
    // Only plain names: `=` or NUL in a name would corrupt the environment block.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    env[name] = value;
  }
  env.HOME = dirs.home;
  env.TMPDIR = dirs.tmp;
  env.TERM = 'dumb';
  return env;
}
