/**
 * A mined task instance in SWE-bench's form (fields of princeton-nlp/SWE-bench `harness/constants`
 * and the dataset card, 2024), plus `test_cmd`/`install` for JavaScript repositories. One JSON object
 * a line in a `.jsonl` file. Test ids are `${file}::${fullName}` as in `TestCaseResult`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

const sha = z.string().regex(/^[0-9a-f]{40}$/, 'a full 40-hex commit SHA');

export const MinedInstanceSchema = z.object({
  /** `owner__name-<short sha>`. */
  instance_id: z.string().regex(/^[\w.-]+__[\w.-]+-[0-9a-f]{7,40}$/, 'owner__name-<short sha>'),
  /** `owner/name`. */
  repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
  /** The fix commit's parent: the state the task starts from. */
  base_commit: sha,
  /** The fix commit itself (not a SWE-bench field; kept so the corpus can name it). */
  commit: sha,
  /** The source change (git diff base..commit without test files). */
  patch: z.string().min(1),
  /** The test change (git diff base..commit of test files only). */
  test_patch: z.string().min(1),
  /** The commit message: the task text in hidden mode. */
  problem_statement: z.string(),
  FAIL_TO_PASS: z.array(z.string()).min(1),
  PASS_TO_PASS: z.array(z.string()),
  /** Runs exactly the touched test files, e.g. `node_modules/.bin/vitest run test/a.test.ts`. */
  test_cmd: z.string().min(1),
  /** Installs dependencies (run with network, in the sandbox), e.g. `npm ci`. */
  install: z.string().min(1),
  /** ISO date of the commit. */
  created_at: z.string(),
  /** Installed vitest version at the base (facts for the corpus). */
  vitest_version: z.string().optional(),
});

export type MinedInstance = z.infer<typeof MinedInstanceSchema>;

/**
 * Reads a JSONL instance file. Blank lines are skipped.
 * @throws ConfigError naming the file, the line and the bad field.
 */
export function readInstances(file: string): MinedInstance[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('no_instances', `--instances ${file}: ${(err as Error).message}`);
  }
  const out: MinedInstance[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new ConfigError('bad_instance', `${file}:${i + 1}: not JSON (${(err as Error).message})`);
    }
    const parsed = MinedInstanceSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConfigError('bad_instance', `${file}:${i + 1}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    out.push(parsed.data);
  });
  if (out.length === 0) throw new ConfigError('no_instances', `--instances ${file}: no instances (one JSON object a line; make them with \`patchloop tasks mine\`)`);
  return out;
}

/** `owner__name-<short sha>` for SWE-bench-style ids. */
export function instanceId(repo: string, commit: string): string {
  return `${repo.replace('/', '__')}-${commit.slice(0, 7)}`;
}
