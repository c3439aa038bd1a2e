/**
 * The real-repository corpus as facts only (`tasks/real/corpus.json`): which commits of which public
 * repositories make the instances, how they install and test, their FAIL_TO_PASS/PASS_TO_PASS counts,
 * and what was left out and why. No code of those repositories: `npm run bench:real` re-mines the
 * instances from the fetched repositories.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import type { MinedInstance } from './instance.ts';

export const CorpusEntrySchema = z.object({
  repo: z.string(),
  commit: z.string().regex(/^[0-9a-f]{40}$/),
  base_commit: z.string().regex(/^[0-9a-f]{40}$/),
  install: z.string(),
  test_cmd: z.string(),
  vitest_version: z.string().optional(),
  fail_to_pass: z.number().int().positive(),
  pass_to_pass: z.number().int().nonnegative(),
});

export const CorpusSchema = z.object({
  formatVersion: z.literal(1),
  /** How the corpus was mined (command lines), for the record. */
  mined_with: z.string(),
  instances: z.array(CorpusEntrySchema),
  /** Repositories or commits left out, with the reason. */
  exclusions: z.array(z.object({ repo: z.string(), commit: z.string().optional(), reason: z.string() })),
});

export type Corpus = z.infer<typeof CorpusSchema>;
export type CorpusEntry = z.infer<typeof CorpusEntrySchema>;

/** The facts of a mined instance (no patch text). */
export function corpusEntry(i: MinedInstance): CorpusEntry {
  return {
    repo: i.repo, commit: i.commit, base_commit: i.base_commit, install: i.install, test_cmd: i.test_cmd,
    ...(i.vitest_version ? { vitest_version: i.vitest_version } : {}), fail_to_pass: i.FAIL_TO_PASS.length, pass_to_pass: i.PASS_TO_PASS.length,
  };
}

/** @throws ConfigError naming the file and the bad field. */
export function readCorpus(file: string): Corpus {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('bad_corpus', `${file}: ${(err as Error).message}`);
  }
  const parsed = CorpusSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError('bad_corpus', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
