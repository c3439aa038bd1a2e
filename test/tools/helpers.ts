/** Temp repositories for the tool tests: real files under fs.mkdtemp, removed after each test. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { runToolCall, toolsByName, type ToolContext, type ToolResult } from '../../src/tools/index.ts';

const made: string[] = [];
afterEach(() => {
  while (made.length > 0) rmSync(made.pop() as string, { recursive: true, force: true });
});

/** A fresh directory holding `files` (repo-relative path → text). */
export function makeRepo(files: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'patchloop-tools-'));
  made.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** A directory outside any repo (for symlink targets), cleaned up like repos. */
export function makeOutside(files: Record<string, string>): string {
  return makeRepo(files);
}

/** Reads a file of the repo as text. */
export function read(root: string, rel: string): string {
  return readFileSync(path.join(root, rel), 'utf8');
}

const tools = toolsByName({ listFiles: async () => [] });

/** Runs tool `name` in `root` (with optional ctx extras) through `runToolCall`. */
export function call(
  root: string,
  name: string,
  input: unknown,
  extra: Partial<ToolContext> = {},
): Promise<ToolResult> {
  return runToolCall(tools, name, input, { root, ...extra });
}
