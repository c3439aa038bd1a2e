/**
 * Each known failure mode of generated code, applied as a real patch to a temp git copy of the
 * fixture project, must be flagged by the right validator on the right line, and the finding must
 * reach the repair prompt. A clean patch must produce zero findings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/create.ts';
import { runTests } from '../../src/sandbox/run-tests.ts';
import { createValidationPipeline } from '../../src/validate/pipeline.ts';
import { buildRepairPrompt, formatFinding } from '../../src/validate/repair-prompt.ts';
import { testFindings } from '../../src/validate/tests.ts';
import type { Finding, ValidationReport } from '../../src/validate/types.ts';
import { VITEST_CMD, applyPatch, git, makeFixtureRepo } from './support/fixture-repo.ts';

interface Expect {
  validator: Finding['validator'];
  rule: string;
  file: string;
  line: number;
}

const STATIC_CASES: { patch: string; expected: Expect[] }[] = [
  { patch: 'hallucinated-import', expected: [{ validator: 'imports', rule: 'imports/undeclared', file: 'src/users.ts', line: 1 }] },
  {
    patch: 'truncated',
    expected: [
      { validator: 'completeness', rule: 'completeness/truncated', file: 'src/cart.ts', line: 25 },
      { validator: 'syntax', rule: 'TS1005', file: 'src/cart.ts', line: 25 },
    ],
  },
  { patch: 'type-mismatch', expected: [{ validator: 'types', rule: 'TS2322', file: 'src/users.ts', line: 21 }] },
  {
    patch: 'style-drift',
    expected: [
      { validator: 'style', rule: 'style/naming', file: 'src/users.ts', line: 19 },
      { validator: 'style', rule: 'style/prettier', file: 'src/users.ts', line: 20 },
    ],
  },
  { patch: 'sql-injection', expected: [{ validator: 'security', rule: 'security/sql-injection', file: 'src/db.ts', line: 14 }] },
];

async function validatePatch(patch: string): Promise<{ report: ValidationReport; diff: string; root: string; cleanup: () => void }> {
  const repo = makeFixtureRepo();
  const touched = applyPatch(repo.root, patch);
  const pipeline = createValidationPipeline({ root: repo.root, baseRef: 'base' });
  const report = await pipeline.run(touched);
  pipeline.dispose();
  return { report, diff: git(repo.root, 'diff', 'base'), ...repo };
}

describe('failure modes', () => {
  for (const { patch, expected } of STATIC_CASES) {
    it(`${patch}: flagged on the right line and carried into the repair prompt`, async () => {
      const { report, diff, cleanup } = await validatePatch(patch);
      try {
        const prompt = buildRepairPrompt({ findings: report.findings, diff, iteration: 1 });
        for (const e of expected) {
          const hit = report.findings.find((f) => f.validator === e.validator && f.rule === e.rule);
          expect(hit, `${e.validator} ${e.rule} in ${JSON.stringify(report.findings)}`).toBeDefined();
          expect({ file: hit!.file, line: hit!.line }).toEqual({ file: e.file, line: e.line });
          expect(prompt).toContain(formatFinding(hit!));
        }
        // The excerpt of the diff is there, not just the list.
        expect(prompt).toContain('```diff');
      } finally {
        cleanup();
      }
    });
  }

  it('truncated: the expensive validators are skipped with a reason', async () => {
    const { report, cleanup } = await validatePatch('truncated');
    cleanup();
    expect(report.ran).toEqual(['syntax', 'completeness', 'imports']);
    expect(report.skipped.map((s) => s.validator)).toEqual(['types', 'lint', 'style', 'security']);
    expect(report.skipped[0]!.reason).toMatch(/syntax/);
  });

  it('clean patch (new module importing zod, new function): zero findings, all seven validators ran', async () => {
    const { report, cleanup } = await validatePatch('clean');
    cleanup();
    expect(report.findings).toEqual([]);
    expect(report.ran).toEqual(['syntax', 'completeness', 'imports', 'types', 'lint', 'style', 'security']);
    expect(report.skipped).toEqual([]);
  });

  describe('off-by-one (caught by the tests, through the sandbox)', () => {
    const repo = makeFixtureRepo();
    afterAll(() => repo.cleanup());
    let findings: Finding[] = [];
    let staticFindings: Finding[] = [];
    beforeAll(async () => {
      const touched = applyPatch(repo.root, 'off-by-one');
      const pipeline = createValidationPipeline({ root: repo.root, baseRef: 'base' });
      staticFindings = (await pipeline.run(touched)).findings;
      const sandbox = await createSandbox({ backend: 'process', warn: () => {} });
      findings = testFindings(await runTests(sandbox, { command: VITEST_CMD, cwd: repo.root, timeoutMs: 60_000 }));
    });

    it('passes the static validators (nothing there to see)', () => {
      expect(staticFindings).toEqual([]);
    });

    it('points at the loop line of src/cart.ts and names the failing test', () => {
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ validator: 'tests', rule: 'tests/failed', file: 'src/cart.ts', line: 11 });
      expect(findings[0]!.message).toContain('cart > sums price times quantity');
      const prompt = buildRepairPrompt({ findings, diff: git(repo.root, 'diff', 'base'), iteration: 2 });
      expect(prompt).toContain(formatFinding(findings[0]!));
      expect(prompt).toContain('i <= items.length');
    });
  });
});
