import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { ModelChain, type ChainEvent } from '../../src/model/chain.ts';
import { createProvider, formatPath, resolveModelConfig } from '../../src/model/config.ts';
import { startAnthropicServer } from '../support/anthropic-server.ts';
import { startOpenAIServer } from '../support/openai-server.ts';

/** A fake file system: path → contents; anything else is ENOENT. */
const files = (m: Record<string, string>) => async (p: string) => {
  if (p in m) return m[p]!;
  throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
};

const fileCfg = {
  chain: [
    { provider: 'anthropic', model: 'claude-sonnet-5-5' },
    { provider: 'openai-compatible', model: 'qwen3-coder', baseURL: 'http://127.0.0.1:8000/v1' },
  ],
  prices: { 'qwen3-coder': { inputPerMTok: 0, outputPerMTok: 0 } },
  budget: { maxUsd: 5, dailyUsd: 20 },
};

describe('resolveModelConfig', () => {
  it('reads patchloop.config.json, else .patchloop.json', async () => {
    const a = await resolveModelConfig({ cwd: '/r', readFile: files({ '/r/patchloop.config.json': JSON.stringify(fileCfg) }) });
    expect(a.file).toBe('/r/patchloop.config.json');
    expect(a.chain.map((e) => e.provider)).toEqual(['anthropic', 'openai-compatible']);
    const b = await resolveModelConfig({ cwd: '/r', readFile: files({ '/r/.patchloop.json': JSON.stringify({ budget: { maxUsd: 1 } }) }) });
    expect(b.file).toBe('/r/.patchloop.json');
    expect(b.chain).toEqual([{ provider: 'anthropic' }]);
    const none = await resolveModelConfig({ cwd: '/r', readFile: files({}) });
    expect(none.file).toBeUndefined();
  });

  it('flags beat env beat file', async () => {
    const readFile = files({ '/r/patchloop.config.json': JSON.stringify(fileCfg) });
    const envOnly = await resolveModelConfig({ cwd: '/r', readFile, env: { PATCHLOOP_MODEL: 'claude-opus-5-5', PATCHLOOP_MAX_USD: '2' } });
    expect(envOnly.chain[0]!.model).toBe('claude-opus-5-5');
    expect(envOnly.budget).toEqual({ maxUsd: 2, dailyUsd: 20 });
    const both = await resolveModelConfig({ cwd: '/r', readFile, env: { PATCHLOOP_MODEL: 'claude-opus-5-5', PATCHLOOP_MAX_USD: '2' }, flags: { model: 'claude-haiku-4-5', maxUsd: 3, dailyBudgetUsd: 9 } });
    expect(both.chain[0]!.model).toBe('claude-haiku-4-5');
    expect(both.budget).toEqual({ maxUsd: 3, dailyUsd: 9 });
  });

  it('--provider picks that entry of the file chain; chain keeps all', async () => {
    const readFile = files({ '/r/patchloop.config.json': JSON.stringify(fileCfg) });
    const one = await resolveModelConfig({ cwd: '/r', readFile, flags: { provider: 'openai-compatible' } });
    expect(one.chain).toEqual([fileCfg.chain[1]]);
    const all = await resolveModelConfig({ cwd: '/r', readFile, flags: { provider: 'chain' } });
    expect(all.chain).toHaveLength(2);
  });

  it.each([
    [{ chain: [{ provider: 'anthropic' }, { provider: 'openai-compatible', baseURL: 'not a url' }] }, /^\/r\/patchloop\.config\.json: chain\[1\]\.baseURL: Invalid URL/],
    [{ chain: [{ provider: 'gemini' }] }, /chain\[0\]\.provider: /],
    [{ chain: [{ provider: 'anthropic', apiKey: 'sk-ant-secret' }] }, /chain\[0\]: Unrecognized key: "apiKey"/],
    [{ chain: [{ provider: 'anthropic', apiKeyEnv: 'sk-ant-oops' }] }, /chain\[0\]\.apiKeyEnv: must be an environment variable name/],
    [{ prices: { 'gpt-5': { inputPerMTok: -1 } } }, /prices\.gpt-5\.inputPerMTok: /],
    [{ chain: [] }, /chain: /],
  ])('bad config %j → error naming the key path', async (cfg, re) => {
    const p = resolveModelConfig({ cwd: '/r', readFile: files({ '/r/patchloop.config.json': JSON.stringify(cfg) }) });
    await expect(p).rejects.toThrow(re);
    await expect(p).rejects.toBeInstanceOf(ConfigError);
  });

  it('bad JSON, bad provider flag, bad env number, replay without transcript', async () => {
    await expect(resolveModelConfig({ cwd: '/r', readFile: files({ '/r/patchloop.config.json': '{"chain": [' }) })).rejects.toThrow(/^\/r\/patchloop\.config\.json: not valid JSON/);
    await expect(resolveModelConfig({ cwd: '/r', readFile: files({}), env: { PATCHLOOP_PROVIDER: 'bard' } })).rejects.toThrow(/provider: "bard" is not one of/);
    await expect(resolveModelConfig({ cwd: '/r', readFile: files({}), env: { PATCHLOOP_DAILY_BUDGET_USD: 'ten' } })).rejects.toThrow(/PATCHLOOP_DAILY_BUDGET_USD: "ten" is not a positive number/);
    await expect(resolveModelConfig({ cwd: '/r', readFile: files({}), flags: { provider: 'replay' } })).rejects.toMatchObject({ code: 'missing_transcript' });
    await expect(resolveModelConfig({ cwd: '/r', readFile: files({}), flags: { config: '/x/c.json' } })).rejects.toThrow(/cannot read config \/x\/c\.json/);
  });

  it('formatPath renders key paths', () => {
    expect(formatPath(['chain', 1, 'baseURL'])).toBe('chain[1].baseURL');
    expect(formatPath([])).toBe('(root)');
  });
});

describe('createProvider', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('missing key for a chain entry → ConfigError naming the variable', async () => {
    const cfg = await resolveModelConfig({ cwd: '/r', readFile: files({}) });
    await expect(createProvider(cfg, { env: {} })).rejects.toThrow('ANTHROPIC_API_KEY is not set: export ANTHROPIC_API_KEY=sk-ant-… or run with --provider replay --transcript <file>');
    const oa = await resolveModelConfig({ cwd: '/r', readFile: files({}), flags: { provider: 'openai-compatible', model: 'gpt-5' } });
    await expect(createProvider(oa, { env: {} })).rejects.toThrow(/^OPENAI_API_KEY is not set/);
  });

  it('builds a chain whose providers do not retry in the SDK, and falls back across protocols', async () => {
    const anth = await startAnthropicServer({ script: [{ kind: 'error', status: 529 }, { kind: 'error', status: 529 }] });
    const oai = await startOpenAIServer({ script: [{ kind: 'message', content: 'from qwen' }] });
    closers.push(anth.close, oai.close);
    const cfg = await resolveModelConfig({
      cwd: '/r',
      readFile: files({ '/r/patchloop.config.json': JSON.stringify({ chain: [{ provider: 'anthropic', baseURL: anth.baseURL }, { provider: 'openai-compatible', model: 'qwen3-coder', baseURL: oai.baseURL }], retry: { maxAttempts: 2 } }) }),
    });
    const events: ChainEvent[] = [];
    const p = await createProvider(cfg, { env: { ANTHROPIC_API_KEY: 'k' }, chain: { sleep: async () => undefined, onEvent: (e) => events.push(e) } });
    expect(p).toBeInstanceOf(ModelChain);
    const res = await p.complete({ system: 's', context: 'c', tools: [], maxTokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    expect(res).toMatchObject({ provider: 'openai-compatible', model: 'qwen3-coder' });
    expect(anth.requests).toHaveLength(2); // maxAttempts 2, no hidden SDK retries
    expect(oai.requests[0]!.headers['authorization']).toBe('Bearer EMPTY'); // local server, no key needed
    expect(events.map((e) => e.type)).toEqual(['retry', 'fallback']);
  });

  it('replay alone is a bare ReplayProvider', async () => {
    const cfg = { chain: [{ provider: 'replay' as const, transcript: '/nope.jsonl' }], prices: {}, budget: {}, retry: {}, file: undefined };
    await expect(createProvider(cfg, { env: {} })).rejects.toMatchObject({ code: 'transcript_unreadable' });
  });
});
