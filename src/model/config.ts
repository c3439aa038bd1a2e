/**
 * Model configuration: which providers, in which order, with which models/URLs/keys, price
 * overrides and budgets. Sources, highest first: CLI flags > environment > config file
 * (`patchloop.config.json`, else `.patchloop.json`, in the repo root). Every error names the bad key
 * path and file, e.g. `patchloop.config.json: chain[1].baseURL: Invalid URL`.
 *
 * `createProvider()` turns the resolved config into one `ModelProvider`: `replay` → ReplayProvider;
 * anything else → a `ModelChain` (even of one) whose providers have SDK retries off, so the chain is
 * the single owner of the retry policy and every retry/fallback reaches the trace.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import type { ParseError } from 'jsonc-parser';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { ModelChain, type ChainOptions } from './chain.ts';
import type { ReplayProvider } from './replay.ts';
import type { ModelProvider } from './types.ts';

/** Config file names looked up in the repo root, in order. */
export const CONFIG_FILES = ['patchloop.config.json', '.patchloop.json'] as const;

const providerKind = z.enum(['anthropic', 'openai-compatible', 'replay']);

const entrySchema = z.strictObject({
  provider: providerKind,
  model: z.string().min(1).optional(),
  baseURL: z.url().optional(),
  /** Name of the env var holding the key (never the key itself). */
  apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name like OPENAI_API_KEY').optional(),
  name: z.string().min(1).optional(),
  cacheTtl: z.enum(['5m', '1h']).optional(),
  maxTokensParam: z.enum(['max_completion_tokens', 'max_tokens']).optional(),
  transcript: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().optional(),
});

const priceSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative().optional(),
  outputPerMTok: z.number().nonnegative().optional(),
  cacheWrite5mPerMTok: z.number().nonnegative().optional(),
  cacheWrite1hPerMTok: z.number().nonnegative().optional(),
  cacheReadPerMTok: z.number().nonnegative().optional(),
  batchMultiplier: z.number().positive().max(1).optional(),
  source: z.string().optional(),
});

/** Shape of `patchloop.config.json` (model-related keys; other top-level keys are left to their owners). */
export const modelConfigSchema = z.object({
  chain: z.array(entrySchema).min(1).optional(),
  prices: z.record(z.string(), priceSchema).optional(),
  budget: z
    .strictObject({
      maxTokens: z.number().int().positive().optional(),
      maxUsd: z.number().positive().optional(),
      dailyUsd: z.number().positive().optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(10).optional(),
      baseDelayMs: z.number().int().nonnegative().optional(),
      maxDelayMs: z.number().int().nonnegative().optional(),
      breakerThreshold: z.number().int().min(1).optional(),
      breakerOpenMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
});

export type ProviderEntry = z.infer<typeof entrySchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** CLI flags that touch the model layer (all optional). */
export interface ModelFlags {
  provider?: 'anthropic' | 'openai-compatible' | 'replay' | 'chain';
  model?: string;
  baseURL?: string;
  transcript?: string;
  maxTokens?: number;
  maxUsd?: number;
  dailyBudgetUsd?: number;
  /** Explicit config file path (else CONFIG_FILES in `cwd`). */
  config?: string;
}

/** The merged result: the chain to build, prices, budgets, retry policy and where it came from. */
export interface ResolvedModelConfig {
  chain: ProviderEntry[];
  prices: NonNullable<ModelConfig['prices']>;
  budget: NonNullable<ModelConfig['budget']>;
  retry: NonNullable<ModelConfig['retry']>;
  /** The config file read, if any. */
  file: string | undefined;
}

/**
 * Validates a parsed config object.
 * @throws ConfigError `bad_config`: `<source>: <key path>: <problem>` for the first issue.
 */
export function parseModelConfig(json: unknown, source: string): ModelConfig {
  const r = modelConfigSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new ConfigError('bad_config', `${source}: ${formatPath(issue.path)}: ${issue.message}`);
}

/** `['chain', 1, 'baseURL']` → `chain[1].baseURL`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/**
 * Reads the config file (if any) and merges flags > env > file.
 *
 * Env read: `PATCHLOOP_PROVIDER`, `PATCHLOOP_MODEL`, `PATCHLOOP_BASE_URL`, `PATCHLOOP_TRANSCRIPT`,
 * `PATCHLOOP_MAX_USD`, `PATCHLOOP_DAILY_BUDGET_USD`. A single provider (`--provider anthropic`)
 * selects that entry of the file's chain (or a fresh one); `chain` uses the file's whole chain.
 *
 * @throws ConfigError `bad_config` (file JSON/schema, bad env/flag values), `missing_transcript`.
 */
export async function resolveModelConfig(opts: {
  cwd: string;
  flags?: ModelFlags;
  env?: Record<string, string | undefined>;
  readFile?: (path: string) => Promise<string>;
}): Promise<ResolvedModelConfig> {
  const flags = opts.flags ?? {};
  const env = opts.env ?? {};
  const read = opts.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  const { config, file } = await loadFile(opts.cwd, flags.config, read);

  const kindRaw = flags.provider ?? env['PATCHLOOP_PROVIDER'];
  const kind = kindRaw === undefined ? undefined : z.enum(['anthropic', 'openai-compatible', 'replay', 'chain']).safeParse(kindRaw);
  if (kind && !kind.success) throw new ConfigError('bad_config', `provider: "${kindRaw}" is not one of anthropic, openai-compatible, replay, chain`);
  const fileChain = config.chain ?? [{ provider: 'anthropic' as const }];
  let chain: ProviderEntry[];
  if (kind === undefined || kind.data === 'chain') chain = fileChain.map((e) => ({ ...e }));
  else chain = [{ ...(fileChain.find((e) => e.provider === kind.data) ?? { provider: kind.data }) }];

  const first = chain[0]!;
  const model = flags.model ?? env['PATCHLOOP_MODEL'];
  if (model) first.model = model;
  const baseURL = flags.baseURL ?? env['PATCHLOOP_BASE_URL'];
  if (baseURL) {
    if (!URL.canParse(baseURL)) throw new ConfigError('bad_config', `baseURL: "${baseURL}" is not a valid URL (e.g. http://127.0.0.1:8000/v1)`);
    first.baseURL = baseURL;
  }
  const transcript = flags.transcript ?? env['PATCHLOOP_TRANSCRIPT'];
  if (transcript) for (const e of chain) if (e.provider === 'replay') e.transcript = transcript;
  for (const e of chain) {
    if (e.provider === 'replay' && !e.transcript) throw new ConfigError('missing_transcript', 'the replay provider needs a transcript: pass --transcript <file.jsonl>');
  }

  const budget = { ...config.budget };
  const maxUsd = flags.maxUsd ?? num(env, 'PATCHLOOP_MAX_USD');
  if (maxUsd !== undefined) budget.maxUsd = maxUsd;
  const daily = flags.dailyBudgetUsd ?? num(env, 'PATCHLOOP_DAILY_BUDGET_USD');
  if (daily !== undefined) budget.dailyUsd = daily;
  if (flags.maxTokens !== undefined) budget.maxTokens = flags.maxTokens;
  return { chain, prices: config.prices ?? {}, budget, retry: config.retry ?? {}, file };
}

async function loadFile(cwd: string, explicit: string | undefined, read: (p: string) => Promise<string>): Promise<{ config: ModelConfig; file: string | undefined }> {
  const candidates = explicit ? [explicit] : CONFIG_FILES.map((f) => join(cwd, f));
  for (const path of candidates) {
    let text: string;
    try {
      text = await read(path);
    } catch (err) {
      if (explicit) throw new ConfigError('bad_config', `cannot read config ${path}: ${(err as Error).message}`, err);
      continue; // absent optional file
    }
    // JSON with comments (what `patchloop init` writes); trailing commas allowed. The parser loads
    // only when there is a file (most runs have none: ≈ 15 ms of start-up saved).
    const { parse: parseJsonc, printParseErrorCode } = await import('jsonc-parser');
    const errors: ParseError[] = [];
    const json: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
    if (errors.length > 0) {
      const e = errors[0]!;
      throw new ConfigError('bad_config', `${path}: not valid JSON (${printParseErrorCode(e.error)} at offset ${e.offset})`);
    }
    return { config: parseModelConfig(json, path), file: path };
  }
  return { config: {}, file: undefined };
}

function num(env: Record<string, string | undefined>, key: string): number | undefined {
  const v = env[key];
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError('bad_config', `${key}: "${v}" is not a positive number`);
  return n;
}

/** Injected effects for `createProvider`. */
export interface ProviderDeps {
  env: Record<string, string | undefined>;
  fetch?: typeof fetch;
  chain?: Pick<ChainOptions, 'sleep' | 'random' | 'now' | 'onEvent'>;
}

/**
 * Builds the provider the run uses from a resolved config.
 * @throws ConfigError `missing_api_key` naming the env var and the fix; `bad_transcript` etc. from replay.
 */
export async function createProvider(cfg: ResolvedModelConfig, deps: ProviderDeps): Promise<ModelProvider> {
  if (cfg.chain.length === 1 && cfg.chain[0]!.provider === 'replay') return replayFrom(cfg.chain[0]!.transcript!);
  const providers: ModelProvider[] = [];
  for (const e of cfg.chain) providers.push(await buildEntry(e, deps));
  return new ModelChain({ providers, ...cfg.retry, ...deps.chain });
}

/** A replay provider of `transcript`; replay.ts (and its schemas) load only for a replay run (~10 ms otherwise spent at every start-up). */
async function replayFrom(transcript: string): Promise<ReplayProvider> {
  return (await import('./replay.ts')).ReplayProvider.fromFile(transcript);
}

// The SDK-backed providers are imported when a chain entry names them (issue 13: a replay or
// Anthropic-only run does not pay for loading both SDKs before its first request).
async function buildEntry(e: ProviderEntry, deps: ProviderDeps): Promise<ModelProvider> {
  const common = { maxRetries: 0, ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(e.timeoutMs ? { timeoutMs: e.timeoutMs } : {}) };
  if (e.provider === 'replay') return replayFrom(e.transcript!);
  if (e.provider === 'anthropic') {
    const keyEnv = e.apiKeyEnv ?? 'ANTHROPIC_API_KEY';
    const apiKey = deps.env[keyEnv]?.trim();
    if (!apiKey) {
      throw new ConfigError('missing_api_key', `${keyEnv} is not set: export ${keyEnv}=sk-ant-… or run with --provider replay --transcript <file>`);
    }
    const baseURL = e.baseURL ?? (deps.env['ANTHROPIC_BASE_URL']?.trim() || undefined);
    const { AnthropicProvider, ANTHROPIC_DEFAULT_MODEL } = await import('./anthropic.ts');
    return new AnthropicProvider({ ...common, apiKey, model: e.model ?? ANTHROPIC_DEFAULT_MODEL, ...(baseURL ? { baseURL } : {}), ...(e.cacheTtl ? { cacheTtl: e.cacheTtl } : {}) });
  }
  const baseURL = e.baseURL ?? (deps.env['OPENAI_BASE_URL']?.trim() || 'https://api.openai.com/v1');
  const hosted = new URL(baseURL).hostname === 'api.openai.com';
  const keyEnv = e.apiKeyEnv ?? 'OPENAI_API_KEY';
  const apiKey = deps.env[keyEnv]?.trim();
  // Local servers (vLLM, llama.cpp, Ollama) need no key; a hosted API or a named key variable does.
  if (!apiKey && (hosted || e.apiKeyEnv)) {
    throw new ConfigError('missing_api_key', `${keyEnv} is not set: export ${keyEnv}=… for ${baseURL}, or point baseURL at a local server`);
  }
  if (!e.model) throw new ConfigError('bad_config', `chain: the openai-compatible provider at ${baseURL} needs a "model" (e.g. gpt-5 or qwen3-coder)`);
  const { OpenAICompatibleProvider } = await import('./openai-compatible.ts');
  return new OpenAICompatibleProvider({
    ...common, model: e.model, baseURL, keyEnv,
    ...(apiKey ? { apiKey } : {}), ...(e.name ? { name: e.name } : {}), ...(e.maxTokensParam ? { maxTokensParam: e.maxTokensParam } : {}),
  });
}
