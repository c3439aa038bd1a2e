// The sandboxed validation worker: everything that loads repository code (the repository's
// ESLint config and plugins, its Prettier config and plugins, its own TypeScript) runs here,
// inside the run's sandbox (no network, environment allowlist, worktree the only writable tree),
// never in patchloop's process. Plain JavaScript: it runs on bare Node without patchloop's loader.
//
// Protocol: one JSON object per line over the Unix socket `$TMPDIR/validate.sock` that patchloop
// listens on. Request `{ id, op, ...args }`, answer `{ id, ok: true, result }` or
// `{ id, ok: false, error }`. Ops: warm, lint, format, types.diagnostics, types.fixes, types.info.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { lowerSessionPriority } from './background-priority.mjs';
import { createTypeServices } from './worker-types.mjs';

const tmp = process.env.TMPDIR || '/tmp';
const config = JSON.parse(readFileSync(path.join(tmp, 'validate-worker.json'), 'utf8'));
// The test command runs beside validation and the run waits for it first (background-priority.mjs).
void lowerSessionPriority(config.nice ?? 0);
const root = process.cwd();
const fromRoot = createRequire(path.join(root, 'package.json'));

/** The repository's copy of a package when it has one, else patchloop's (`config.fallback`). */
function locate(name) {
  try {
    return { file: fromRoot.resolve(name), from: 'repository' };
  } catch {
    const file = config.fallback?.[name];
    return file ? { file, from: 'patchloop' } : undefined;
  }
}

function versionOf(entry) {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name && pkg.version) return pkg.version;
    } catch {
      // keep walking up
    }
  }
  return 'unknown';
}

// ---- ESLint: one instance per config directory (monorepos keep a config per package).
let eslintModule;
const eslints = new Map();
async function eslintFor(configDir) {
  if (!eslints.has(configDir)) {
    eslintModule ??= (async () => {
      const where = locate('eslint');
      if (!where) throw new Error('no ESLint installed (neither in the repository nor in patchloop)');
      const mod = await import(pathToFileURL(where.file).href);
      return { mod: mod.default ?? mod, where, version: versionOf(where.file) };
    })();
    const { mod } = await eslintModule;
    const make = async () => {
      const opts = { cwd: configDir, errorOnUnmatchedPattern: false };
      if (typeof mod.loadESLint === 'function') return new (await mod.loadESLint({ useFlatConfig: true }))(opts);
      return new mod.ESLint(opts);
    };
    eslints.set(configDir, make());
  }
  return eslints.get(configDir);
}

async function lint({ configDir, files }) {
  const eslint = await eslintFor(configDir);
  const out = [];
  for (const f of files) {
    if (await eslint.isPathIgnored(f.path)) {
      out.push(null);
      continue;
    }
    const [r] = await eslint.lintText(f.text, { filePath: f.path, warnIgnored: false });
    out.push(
      (r?.messages ?? []).map((m) => ({
        ruleId: m.ruleId ?? null, message: m.message, line: m.line ?? 0, column: m.column ?? 0, severity: m.severity,
        fatal: Boolean(m.fatal), fixable: Boolean(m.fix) || Boolean(m.suggestions?.length), messageId: m.messageId,
      })),
    );
  }
  const { version, where } = await eslintModule;
  return { files: out, tool: `eslint ${version} (${where.from})` };
}

// ---- Prettier: resolved from the repository, its config and plugins loaded here.
let prettierModule;
async function prettier() {
  prettierModule ??= (async () => {
    const where = locate('prettier');
    if (!where) throw new Error('no Prettier installed (neither in the repository nor in patchloop)');
    const mod = await import(pathToFileURL(where.file).href);
    return { api: mod.default ?? mod, version: versionOf(where.file), where };
  })();
  return prettierModule;
}

async function format({ path: file, text }) {
  const { api, version, where } = await prettier();
  const configFile = await api.resolveConfigFile(file);
  if (!configFile || path.relative(root, configFile).startsWith('..')) return { configFile: null };
  const info = await api.getFileInfo(file, { ignorePath: path.join(root, '.prettierignore') });
  if (info.ignored || !info.inferredParser) return { configFile, ignored: true };
  const options = (await api.resolveConfig(file, { editorconfig: true })) ?? {};
  try {
    return { configFile, formatted: await api.format(text, { ...options, filepath: file }), tool: `prettier ${version} (${where.from})` };
  } catch (err) {
    return { configFile, error: String(err?.message ?? err).split('\n')[0] };
  }
}

// ---- TypeScript: the repository's own (see worker-types.mjs).
let types;
function typeServices() {
  if (!types) {
    const where = locate('typescript');
    if (!where || where.from !== 'repository') throw new Error('the repository has no TypeScript of its own');
    types = createTypeServices(fromRoot(where.file), root);
  }
  return types;
}

async function warm({ lintConfigDirs = [], lintProbes = {}, typeFiles = [], prettierFile }) {
  const done = {};
  await Promise.all([
    (async () => {
      for (const dir of lintConfigDirs) {
        const eslint = await eslintFor(dir);
        // Loading the config (and, for type-aware rules, the program) is the cold cost: lint one
        // real file of the package now, or an empty one when there is none.
        const probe = lintProbes[dir];
        const text = probe ? readFileSync(probe, 'utf8') : '';
        await eslint.lintText(text, { filePath: probe ?? path.join(dir, '__patchloop_warm__.ts'), warnIgnored: false }).catch(() => undefined);
      }
      done.lint = true;
    })(),
    (async () => {
      if (prettierFile) await format({ path: prettierFile, text: '' }).catch(() => undefined);
      done.prettier = Boolean(prettierFile);
    })(),
  ]);
  if (typeFiles.length > 0) {
    typeServices().warm(typeFiles);
    done.types = typeServices().version;
  }
  return done;
}

const ops = {
  warm,
  lint,
  format,
  'types.info': () => ({ version: typeServices().version }),
  'types.diagnostics': (req) => typeServices().diagnostics(req),
  'types.fixes': (req) => typeServices().fixes(req),
};

const socket = net.createConnection(path.join(tmp, 'validate.sock'));
socket.setEncoding('utf8');
let buffer = '';
// One request at a time, in order: the TypeScript state is shared between them.
let queue = Promise.resolve();
socket.on('data', (chunk) => {
  buffer += chunk;
  for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
    const line = buffer.slice(0, nl);
    buffer = buffer.slice(nl + 1);
    if (!line.trim()) continue;
    queue = queue.then(async () => {
      let req;
      try {
        req = JSON.parse(line);
        const op = ops[req.op];
        if (!op) throw new Error(`unknown op ${req.op}`);
        socket.write(JSON.stringify({ id: req.id, ok: true, result: await op(req) }) + '\n');
      } catch (err) {
        socket.write(JSON.stringify({ id: req?.id, ok: false, error: String(err?.stack ?? err).slice(0, 2000) }) + '\n');
      }
    });
  }
});
// patchloop closed the connection (run over): nothing left to do.
socket.on('close', () => process.exit(0));
socket.on('error', (err) => {
  process.stderr.write(`validate worker: ${err.message}\n`);
  process.exit(1);
});
