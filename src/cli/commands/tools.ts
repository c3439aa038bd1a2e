/**
 * Commands of their own: `doctor`, `init`, `sandbox exec`, `validate` — each usable without a run.
 */
import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Action, CliIo } from '../main.ts';
import { EXIT } from '../exit-codes.ts';
import { runDoctor, realDoctorDeps } from '../doctor-checks.ts';
import { renderInitConfig } from '../init-config.ts';
import { createSandbox } from '../../sandbox/create.ts';
import { DEFAULT_LIMITS } from '../../sandbox/limits.ts';
import { createValidationPipeline } from '../../validate/pipeline.ts';
import { hardenedGit, openRepo } from '../../git/repo.ts';
import { UsageError } from '../../errors.ts';

type Wrap = (a: Action) => (...args: unknown[]) => Promise<void>;

export function registerTools(program: Command, io: CliIo, wrap: Wrap): void {
  program
    .command('doctor')
    .description('check Node, git, the sandbox, isolated-vm, keys, config and prices; PASS / WARN / FAIL with the fix')
    .action(
      wrap(async () => {
        const checks = await runDoctor(realDoctorDeps(io.env, process.cwd()));
        for (const c of checks) io.out(`${c.verdict.padEnd(5)} ${c.name.padEnd(24)} ${c.detail}${c.fix && c.verdict !== 'PASS' ? `\n      fix: ${c.fix}` : ''}\n`);
        return checks.some((c) => c.verdict === 'FAIL') ? EXIT.notResolved : EXIT.resolved;
      }),
    );

  program
    .command('init')
    .description('write a commented .patchloop.json for this repository (test command, package manager, model chain, budgets)')
    .option('--repo <dir>', 'git working copy', '.')
    .option('--force', 'overwrite an existing .patchloop.json')
    .action(
      wrap(async (flags: { repo: string; force?: boolean }) => {
        const repo = await openRepo(flags.repo);
        const file = path.join(repo.root, '.patchloop.json');
        if (existsSync(file) && !flags.force) throw new UsageError('config_exists', `${file} exists: pass --force to overwrite it`);
        const { text, detected } = renderInitConfig(repo.root);
        writeFileSync(file, text);
        io.out(`wrote ${file}\n  package manager: ${detected.packageManager}\n  test command: ${detected.testCmd}\n`);
        return EXIT.resolved;
      }),
    );

  const sandbox = program.command('sandbox').description('the sandbox on its own');
  sandbox
    .command('exec')
    .description('run a command under exactly the policy a run uses; exit code and output pass through')
    .option('--repo <dir>', 'working directory (writable inside the sandbox; its node_modules gets a throwaway layer)', '.')
    .option('--backend <name>', 'auto | bwrap | process', 'auto')
    .option('--network', 'allow network (runs never do, except --setup)')
    .option('--timeout <ms>', 'wall-clock limit, ms', '600000')
    .argument('<cmd...>', 'the command (after --)')
    .action(
      wrap(async (cmd: string[], flags: { repo: string; backend: string; network?: boolean; timeout: string }) => {
        const sb = await createSandbox({ backend: flags.backend as 'auto', warn: (l) => io.err(`${l}\n`) });
        const cwd = path.resolve(flags.repo);
        const limits = { ...DEFAULT_LIMITS };
        io.err(`sandbox policy: backend ${sb.backend} (${sb.isolated ? 'isolated' : 'NOT isolated'}) · network ${flags.network ? 'on' : 'off'} · writable: ${cwd} and a private /tmp · node_modules: ${sb.nodeModules} · git dir: metadata read-only, config reduced, rest of the checkout hidden · env: allowlist only · limits ${JSON.stringify(limits)} · enforced by ${JSON.stringify(sb.enforcement)}\n`);
        const quoted = cmd.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
        const r = await sb.run({ command: quoted, cwd, timeoutMs: Number(flags.timeout), network: Boolean(flags.network) });
        io.out(r.output);
        if (r.bytesCut > 0) io.err(`sandbox: output capped, ${r.bytesCut} bytes cut\n`);
        if (r.reason !== 'exit') io.err(`sandbox: ended by ${r.reason}\n`);
        return r.exitCode ?? 128 + 9;
      }),
    );

  program
    .command('validate')
    .description("run the validation pipeline on the working tree's changes against a ref; exit 1 on an error finding")
    .option('--repo <dir>', 'git working copy', '.')
    .option('--base <ref>', 'compare against', 'HEAD')
    .option('--allow-imports <pkgs>', 'comma-separated bare imports allowed (locks dependencies)')
    .option('--fix', "apply TypeScript's safe code fixes (missing import, spelling, missing await)")
    .option('--json', 'print {"findings": [...]}')
    .action(
      wrap(async (flags: { repo: string; base: string; allowImports?: string; fix?: boolean; json?: boolean }) => {
        const repo = await openRepo(flags.repo);
        const git = hardenedGit(repo.root);
        const changed = (await git.raw(['diff', '--name-only', '--no-ext-diff', flags.base])).split('\n');
        const untracked = (await git.raw(['ls-files', '--others', '--exclude-standard'])).split('\n');
        const touched = [...new Set([...changed, ...untracked].filter(Boolean))].filter((f) => existsSync(path.join(repo.root, f)));
        const pipeline = createValidationPipeline({
          root: repo.root, baseRef: flags.base, autoFix: Boolean(flags.fix),
          ...(flags.allowImports ? { allowImports: flags.allowImports.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        });
        const report = await pipeline.run(touched).finally(() => pipeline.dispose());
        const findings = report.findings.map(({ validator, file, line, column, rule, message, severity }) => ({ validator, file, line, column, rule, message, severity }));
        if (flags.json) io.out(JSON.stringify({ findings }) + '\n');
        else {
          for (const f of findings) io.out(`${f.file}:${f.line}:${f.column} ${f.severity} [${f.validator}/${f.rule}] ${f.message}\n`);
          io.out(`${findings.length} finding(s) in ${touched.length} changed file(s)${report.skipped.length ? `; skipped: ${report.skipped.map((s) => `${s.validator} (${s.reason})`).join('; ')}` : ''}\n`);
        }
        return findings.some((f) => f.severity === 'error') ? EXIT.notResolved : EXIT.resolved;
      }),
    );
}
