/**
 * Which changed files of a commit are tests and which are source. Tests: a `.test.`/`.spec.` file,
 * or anything under a `test/`, `tests/` or `__tests__/` folder (fixtures included). Source: code
 * (`.ts`, `.js`, …) that is not a test. Everything else (docs, config) goes with the source patch but
 * does not make a commit a candidate on its own.
 */

const TEST_DIR = /(^|\/)(test|tests|__tests__)\//;
const TEST_NAME = /\.(test|spec)\.[cm]?[jt]sx?$/;
const CODE = /\.[cm]?[jt]sx?$/;
/** Files whose change means a different install: such commits are dropped (the base's install would not match). */
const DEPENDENCY_FILES = /(^|\/)(package-lock\.json|pnpm-lock\.yaml|yarn\.lock|npm-shrinkwrap\.json|bun\.lockb?)$/;

export function isTestFile(file: string): boolean {
  return TEST_DIR.test(file) || TEST_NAME.test(file);
}

/** A test file vitest should be pointed at (not a fixture or helper). */
export function isRunnableTest(file: string): boolean {
  return TEST_NAME.test(file);
}

export function isSourceFile(file: string): boolean {
  return CODE.test(file) && !isTestFile(file) && !/(^|\/)(docs?|examples?|benchmarks?|\.github)\//.test(file) && !/\.d\.[cm]?ts$/.test(file);
}

export function isDependencyFile(file: string): boolean {
  return DEPENDENCY_FILES.test(file);
}

export interface ChangeSplit {
  tests: string[];
  others: string[];
  /** True when at least one source (code) file changed. */
  hasSource: boolean;
}

/** Splits a commit's changed paths into test files and the rest. */
export function splitChanges(files: string[]): ChangeSplit {
  const tests = files.filter(isTestFile);
  const others = files.filter((f) => !isTestFile(f));
  return { tests, others, hasSource: others.some(isSourceFile) };
}
