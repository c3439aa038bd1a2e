/**
 * `patchloop localize --repo DIR --task "…" [--tests FILE…] [--json]`: the ranked candidates (file →
 * symbol → line) for a task, from the repository's TypeScript program; what the plan phase gets and
 * what the context bench calls. `--map` prints the repo map instead.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Action, CliIo } from '../io.ts';
import { EXIT } from '../exit-codes.ts';
import { UsageError } from '../../errors.ts';
import { gitFileLister } from '../../tools/files.ts';
import { buildRepoIndex, defaultMapTokens, localize } from '../../context/localize.ts';

interface LocalizeFlags { repo: string; task?: string; tests?: string[]; json?: boolean; top: string; mapTokens?: string; map?: boolean }

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('bad_flag', `${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function registerLocalize(program: Command, io: CliIo, wrap: (a: Action) => (...args: unknown[]) => Promise<void>): void {
  program
    .command('localize')
    .description('rank the files and symbols a task most likely involves (no model call)')
    .option('--repo <dir>', 'git working copy to rank', '.')
    .option('--task <text>', 'the task text (an issue, a commit message)')
    .option('--tests <file...>', 'failing test files or test ids (file::name) whose imports and names point at the code')
    .option('--top <n>', 'candidate files to print', '10')
    .option('--map-tokens <n>', `token budget of the repo map (default ${defaultMapTokens()})`)
    .option('--map', 'print the rendered repo map instead of the candidates')
    .option('--json', 'JSON output: {"files":[{"file","score","symbols":[{"name","line"}]}]}, best first')
    .action(
      wrap(async (flags: LocalizeFlags) => {
        if (!flags.task?.trim()) throw new UsageError('missing_task', 'localize needs --task "<text>" (the issue or commit message to rank the repository for)');
        const root = path.resolve(flags.repo);
        if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError('bad_repo', `--repo ${flags.repo} is not a directory; pass the repository's folder`);
        let files: string[];
        try {
          files = await gitFileLister(root);
        } catch {
          throw new UsageError('not_git', `--repo ${flags.repo} is not a git working copy (git ls-files failed); run inside a repository or pass --repo <dir>`);
        }
        const top = positiveInt(flags.top, '--top');
        const mapTokens = flags.mapTokens ? positiveInt(flags.mapTokens, '--map-tokens') : defaultMapTokens();
        const index = buildRepoIndex(root, files);
        const tests = (flags.tests ?? []).map((t) => (path.isAbsolute(t) ? path.relative(root, t) : t));
        const result = localize(index, { task: flags.task, tests }, { candidates: top, mapTokens });
        if (flags.map) {
          io.out(`${result.map}\n`);
          return EXIT.resolved;
        }
        if (flags.json) {
          const json = { files: result.candidates.map((c) => ({ file: c.file, score: c.score, symbols: c.symbols.map((s) => ({ name: s.name, line: s.line, endLine: s.endLine, kind: s.kind })) })) };
          io.out(`${JSON.stringify(json)}\n`);
          return EXIT.resolved;
        }
        if (result.degraded) io.err('no TypeScript or JavaScript sources found: nothing to rank\n');
        result.candidates.forEach((c, i) => {
          io.out(`${String(i + 1).padStart(2)}. ${c.file}  ${c.score.toFixed(3)}\n`);
          for (const s of c.symbols) io.out(`      ${s.name} (${s.kind}) ${s.line}-${s.endLine}\n`);
        });
        io.err(`${index.program.files.length} files parsed in ${index.buildMs} ms${index.program.notes.length ? ` (${index.program.notes.join('; ')})` : ''}\n`);
        return EXIT.resolved;
      }),
    );
}
