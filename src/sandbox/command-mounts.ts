/**
 * Per-command mount plan for the bwrap backend: the user's checkout masked (checkout-mounts.ts),
 * node_modules as a throwaway overlay (node-modules-layer.ts) or, where overlays do not work,
 * read-only with a note. Everything the plan creates lives in one scratch dir removed by `dispose`.
 */
import { realpathSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isUnder, type BwrapPolicy } from './bwrap-args.ts';
import { planCheckoutMounts } from './checkout-mounts.ts';
import { atExit } from './exit-sweep.ts';
import { buildOverlayLauncher, dependencyDirs, layerPathIsSafe, linkedWorkspacePackages, prepareLayers, READ_ONLY_NOTE, removeLayers, removeLayersSync, type OverlayLayer } from './node-modules-layer.ts';

/** Whether node_modules overlays can be used on this host (decided once by createSandbox's probe). */
export type OverlaySupport = { ok: true; unsharePath: string } | { ok: false; reason: string };

export interface CommandMounts {
  policy: Pick<BwrapPolicy, 'maskedDirs' | 'readOnlyPaths' | 'replacedFiles' | 'overlayPaths'>;
  /** Wraps the bwrap argv in the overlay launcher when there are layers to mount. */
  wrap(bwrapArgv: string[]): string[];
  /** Lines for the command result: e.g. that node_modules fell back to read-only, and why. */
  notes: string[];
  /** Removes the scratch dir (upper layers, reduced git config). */
  dispose(): Promise<void>;
}

/**
 * Builds the plan for one command run in `cwd`.
 * @param tmpRoot parent of the scratch dir (the same as the private tmp dirs)
 * @param keepDependencyWrites see `CommandSpec.keepDependencyWrites`
 */
export async function prepareCommandMounts(cwdGiven: string, tmpRoot: string, overlay: OverlaySupport, keepDependencyWrites = false): Promise<CommandMounts> {
  // Real paths throughout: the dependency dirs and masks they are compared with are real paths.
  const cwd = realpathSync(cwdGiven);
  const checkout = planCheckoutMounts(cwd);
  // With keepDependencyWrites, a node_modules inside cwd is left to the cwd bind (writable, kept).
  const deps = dependencyDirs(cwd).filter((d) => !(keepDependencyWrites && isUnder(d, cwd)));
  const scratch = await fs.mkdtemp(path.join(tmpRoot, 'patchloop-layer-'));
  let layers: OverlayLayer[] = [];
  // A command still running when this process exits (the validation worker) never reaches dispose.
  const swept = atExit(() => {
    removeLayersSync(layers);
    rmSync(scratch, { recursive: true, force: true });
  });
  const replacedFiles: BwrapPolicy['replacedFiles'] = [];
  if (checkout.gitConfig) {
    const source = path.join(scratch, 'gitconfig');
    await fs.writeFile(source, checkout.gitConfig.text, { mode: 0o644 });
    replacedFiles.push({ source, dest: checkout.gitConfig.dest });
  }
  const notes: string[] = [];
  const readOnlyDeps: string[] = [];
  if (deps.length > 0) {
    const why = !overlay.ok ? overlay.reason : !layerPathIsSafe(scratch) ? `temp dir ${scratch} has a character overlayfs cannot take (, : \\)` : null;
    if (why === null) layers = await prepareLayers(scratch, deps);
    else {
      readOnlyDeps.push(...deps);
      notes.push(`${READ_ONLY_NOTE}: no throwaway layer (${why}); tools that write caches there (vite, vitest) fail with EROFS`);
    }
  }
  // Under /tmp the scratch dir is already out of sight (bwrap replaces /tmp); elsewhere, mask it.
  const hideScratch = !isUnder(scratch, '/tmp');
  // Workspace packages linked from the checkout's node_modules into the masked checkout stay
  // loadable (read-only). A node_modules inside the worktree is skipped: sandboxed code can write
  // there, so its links cannot be trusted (and its relative links resolve inside the worktree).
  const keepOut = [cwd, ...checkout.masked];
  const workspaces = deps
    .filter((d) => !isUnder(d, cwd))
    .flatMap((d) => linkedWorkspacePackages(d, keepOut))
    .filter((p) => checkout.masked.some((m) => isUnder(p, m)));
  return {
    policy: {
      maskedDirs: [...checkout.masked, ...(hideScratch ? [scratch] : [])],
      readOnlyPaths: [...checkout.readOnly, ...workspaces, ...readOnlyDeps],
      replacedFiles,
      overlayPaths: layers.map((l) => l.target),
    },
    wrap: (argv) => (layers.length > 0 && overlay.ok ? buildOverlayLauncher(overlay.unsharePath, layers, argv) : argv),
    notes,
    dispose: async () => {
      await removeLayers(layers);
      await fs.rm(scratch, { recursive: true, force: true }).then(swept, () => undefined); // a failure is left to the exit sweep
    },
  };
}
