/**
 * The commented `.patchloop.json` that `patchloop init` writes (JSON with comments, read back by
 * the config loader through jsonc-parser). Detection reads the repository's package.json and
 * lockfile — untrusted files, so only known names are used, never their contents as commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface Detected {
  packageManager: 'npm' | 'pnpm' | 'yarn';
  testCmd: string;
}

export function detectProject(root: string): Detected {
  const packageManager = existsSync(path.join(root, 'pnpm-lock.yaml')) ? 'pnpm' : existsSync(path.join(root, 'yarn.lock')) ? 'yarn' : 'npm';
  let test: unknown;
  try {
    test = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> }).scripts?.['test'];
  } catch {
    test = undefined;
  }
  // A vitest suite is run directly so patchloop can read its JSON report; otherwise the script.
  const testCmd = typeof test === 'string' && /\bvitest\b/.test(test) ? 'npx vitest run' : typeof test === 'string' ? `${packageManager} test` : 'npx vitest run';
  return { packageManager, testCmd };
}

export function renderInitConfig(root: string): { text: string; detected: Detected } {
  const d = detectProject(root);
  const text = `// patchloop configuration for this repository (JSON with comments).
// Flags override environment variables, which override this file.
{
  // Test command run in the sandbox after every edit (detected: ${d.packageManager}).
  "testCmd": ${JSON.stringify(d.testCmd)},

  // Model chain, tried in order: on 429/529/5xx the chain retries with backoff, then falls back.
  // Keys are read from the named environment variables, never stored here.
  "chain": [
    { "provider": "anthropic", "model": "claude-sonnet-5-5", "apiKeyEnv": "ANTHROPIC_API_KEY" },
    // An open-weights fallback on any OpenAI-compatible server (vLLM, llama.cpp, Ollama):
    // { "provider": "openai-compatible", "model": "qwen3-coder", "baseURL": "http://127.0.0.1:8000/v1" }
  ],

  // Hard caps per run, and an optional daily cap across runs (USD).
  "budget": { "maxTokens": 200000, "maxUsd": 2 }
}
`;
  return { text, detected: d };
}
