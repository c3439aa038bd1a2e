/**
 * The on-disk shape of a task instance under `tasks/<id>/`:
 *
 *   task.json        this schema
 *   task.md          the user's words (same text as `prompt`)
 *   repo/            the failing state the agent sees (a small TS project; no node_modules —
 *                    it runs with patchloop's root node_modules)
 *   hidden/          hidden tests, same relative layout as repo/, copied in only when scoring
 *   reference.patch  a patch (git diff, paths relative to repo/) that resolves the task
 *   transcript.jsonl the replay transcript: one `ModelResponse` JSON per line, in call order
 *
 * Test ids are `${file}::${fullName}` where fullName joins describe titles and the test title
 * with " > " (see `TestCaseResult`).
 */
import { z } from 'zod';

export const TASK_CATEGORIES = ['completion', 'refactor', 'bugfix', 'testgen', 'review'] as const;

export const TaskSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  category: z.enum(TASK_CATEGORIES),
  title: z.string().min(1),
  /** The user's words, as they would type them. */
  prompt: z.string().min(1),
  /** Test command run in the worktree root, e.g. `npx vitest run`. */
  test_cmd: z.string().min(1),
  FAIL_TO_PASS: z.array(z.string()),
  PASS_TO_PASS: z.array(z.string()),
  explain: z.boolean().default(false),
  /** Files the model must not edit (locked tests), repo-relative. */
  locked: z.array(z.string()).default([]),
  /** testgen: mutants as patches relative to repo/, each must be killed by the generated tests. */
  mutants: z.array(z.string()).optional(),
  /** review: planted defects the structured review must find. */
  defects: z.array(z.object({ file: z.string(), line: z.number().int().positive(), tolerance: z.number().int().default(2) })).optional(),
  /** review: max findings that match no planted defect. */
  max_false_findings: z.number().int().nonnegative().optional(),
});

export type Task = z.infer<typeof TaskSchema>;
