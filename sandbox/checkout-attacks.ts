/**
 * Attacks on the user's checkout around a run's worktree and on its node_modules (issue 12):
 * part of the audit list in sandbox/attacks.ts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CHECKOUT_SECRETS, needs, run, snapshot, type Attack } from './attack-world.ts';

export const CHECKOUT_ATTACKS: Attack[] = [
  {
    name: "read the user's checkout: .env, untracked file, .git/config, other worktree, trace folder",
    expected: 'none readable; git log in the worktree works',
    async run(w) {
      const r = w.repo;
      const cmd = [
        `cat '${r}/.env' '${r}/scratch-notes.txt' '${r}/.git/config' '${r}/.git/patchloop/worktrees/other/src/index.ts' '${r}/.git/patchloop/runs/other/trace.jsonl' 2>&1`,
        `grep -rs . '${r}' | grep -v /objects/`,
        'git config --list',
        'git log -1 --format=LOG:%s',
      ].join('; ');
      const out = (await run(w, cmd)).output;
      const leaked = Object.entries(CHECKOUT_SECRETS).filter(([, v]) => out.includes(v)).map(([k]) => k);
      const gitOk = out.includes('LOG:audit base');
      return { observed: `${leaked.length ? `LEAKED: ${leaked.join(', ')}` : 'none readable'}; git log ${gitOk ? 'works' : 'FAILED'}`, pass: leaked.length === 0 && gitOk };
    },
  },
  {
    name: 'repoint node_modules at the checkout (or link .env into it), then read through it',
    expected: 'nothing of the checkout bound back',
    async run(w) {
      const skip = needs(w, 'isolated');
      if (skip) return { observed: skip, pass: false };
      // Step 1 plants the links (the worktree is writable), step 2 reads through them.
      const link = path.join(w.worktree, 'node_modules');
      const original = await fs.readlink(link);
      const planted = await run(w, `ln -sfn '${w.repo}' node_modules.tmp && mv -T node_modules.tmp node_modules && ln -s '${w.repo}/.env' sneaky-env`);
      const first = await run(w, 'cat node_modules/.env node_modules/scratch-notes.txt sneaky-env 2>&1; true');
      await fs.rm(link, { force: true });
      await fs.symlink(original, link);
      await fs.rm(path.join(w.worktree, 'sneaky-env'), { force: true });
      const leaked = Object.entries(CHECKOUT_SECRETS).filter(([, v]) => first.output.includes(v)).map(([k]) => k);
      return { observed: `links planted: ${planted.exitCode === 0 ? 'yes' : 'no'}; ${leaked.length ? `LEAKED: ${leaked.join(', ')}` : 'nothing readable'}`, pass: leaked.length === 0 };
    },
  },
  {
    name: 'write inside node_modules (vitest results cache, a package file)',
    expected: 'works inside, real node_modules unchanged',
    async run(w) {
      const skip = needs(w, 'isolated');
      if (skip) return { observed: skip, pass: false };
      const nm = path.join(w.repo, 'node_modules');
      const before = await snapshot(nm);
      const r = await run(w, [
        'mkdir -p node_modules/.vite/vitest node_modules/.vite-temp',
        'echo "{}" > node_modules/.vite/vitest/results.json',
        'echo "module.exports = 1;" > node_modules/dep/index.js',
        'cat node_modules/.vite/vitest/results.json node_modules/dep/index.js',
      ].join(' && '));
      const unchanged = (await snapshot(nm)) === before;
      return { observed: `inside exit ${r.exitCode}; real node_modules ${unchanged ? 'unchanged' : 'CHANGED'}`, pass: r.exitCode === 0 && unchanged };
    },
  },
];
