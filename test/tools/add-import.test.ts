import { describe, expect, it } from 'vitest';
import { call, makeRepo, read } from './helpers.ts';

describe('add_import', () => {
  it('merges named imports into an existing import, skipping names already there', async () => {
    const root = makeRepo({ 'a.ts': "import { join } from 'node:path';\n\njoin('a');\n" });
    const r = await call(root, 'add_import', {
      path: 'a.ts',
      module: 'node:path',
      names: ['join', 'dirname', 'sep as SEP'],
    });
    expect(r.ok).toBe(true);
    expect(read(root, 'a.ts')).toBe("import { join, dirname, sep as SEP } from 'node:path';\n\njoin('a');\n");
  });

  it('is a no-op when everything is already imported', async () => {
    const src = "import { join } from 'node:path';\n";
    const root = makeRepo({ 'a.ts': src });
    const r = await call(root, 'add_import', { path: 'a.ts', module: 'node:path', names: ['join'] });
    expect(r.ok).toBe(true);
    expect(r.llmContent).toMatch(/no change/);
    expect(r.changedFiles).toBeUndefined();
    expect(read(root, 'a.ts')).toBe(src);
  });

  it('adds to a multi-line import on its own line', async () => {
    const src = "import {\n  a,\n  b,\n} from './m.ts';\n";
    const root = makeRepo({ 'a.ts': src });
    const r = await call(root, 'add_import', { path: 'a.ts', module: './m.ts', names: ['c'] });
    expect(r.ok).toBe(true);
    expect(read(root, 'a.ts')).toBe("import {\n  a,\n  b,\n  c,\n} from './m.ts';\n");
  });

  it('adds a new import after the last one, in the file quote and semicolon style', async () => {
    const src = 'import fs from "node:fs"\nimport { x } from "./x.js"\n\nx()\n';
    const root = makeRepo({ 'a.js': src });
    const r = await call(root, 'add_import', { path: 'a.js', module: 'node:path', default: 'path' });
    expect(r.ok).toBe(true);
    expect(read(root, 'a.js')).toBe(
      'import fs from "node:fs"\nimport { x } from "./x.js"\nimport path from "node:path"\n\nx()\n',
    );
  });

  it('adds a default to a named import, and names to a default import', async () => {
    const root = makeRepo({ 'a.ts': "import { b } from 'm';\nimport d from 'n';\n" });
    expect((await call(root, 'add_import', { path: 'a.ts', module: 'm', default: 'M' })).ok).toBe(true);
    expect((await call(root, 'add_import', { path: 'a.ts', module: 'n', names: ['e'] })).ok).toBe(true);
    expect(read(root, 'a.ts')).toBe("import M, { b } from 'm';\nimport d, { e } from 'n';\n");
  });

  it('keeps type-only imports separate and merges into an existing import type', async () => {
    const root = makeRepo({ 'a.ts': "import { z } from 'zod';\n" });
    expect(
      (await call(root, 'add_import', { path: 'a.ts', module: 'zod', names: ['ZodType'], type_only: true })).ok,
    ).toBe(true);
    expect(
      (await call(root, 'add_import', { path: 'a.ts', module: 'zod', names: ['ZodError'], type_only: true })).ok,
    ).toBe(true);
    expect(read(root, 'a.ts')).toBe("import { z } from 'zod';\nimport type { ZodType, ZodError } from 'zod';\n");
  });

  it('puts the first import at the top, below a shebang', async () => {
    const root = makeRepo({ 'cli.ts': '#!/usr/bin/env node\nconsole.log(1);\n' });
    const r = await call(root, 'add_import', { path: 'cli.ts', module: 'node:fs', names: ['readFileSync'] });
    expect(r.ok).toBe(true);
    expect(read(root, 'cli.ts')).toBe(
      "#!/usr/bin/env node\nimport { readFileSync } from 'node:fs';\n\nconsole.log(1);\n",
    );
  });

  it('does not add a named import to a namespace import', async () => {
    const root = makeRepo({ 'a.ts': "import * as p from 'node:path';\n" });
    const r = await call(root, 'add_import', { path: 'a.ts', module: 'node:path', names: ['join'] });
    expect(r.ok).toBe(true);
    expect(read(root, 'a.ts')).toBe("import * as p from 'node:path';\nimport { join } from 'node:path';\n");
  });

  it('refuses a second default name and a type import in JavaScript', async () => {
    const root = makeRepo({ 'a.ts': "import A from 'm';\n", 'b.js': '' });
    const d = await call(root, 'add_import', { path: 'a.ts', module: 'm', default: 'B' });
    expect(d.ok).toBe(false);
    expect(d.llmContent).toMatch(/already imported as default "A"/);
    const t = await call(root, 'add_import', { path: 'b.js', module: 'm', names: ['T'], type_only: true });
    expect(t.ok).toBe(false);
    expect(t.llmContent).toMatch(/type_only/);
  });

  it('rejects input with neither names nor default, and malformed names', async () => {
    const root = makeRepo({ 'a.ts': '' });
    const none = await call(root, 'add_import', { path: 'a.ts', module: 'm' });
    expect(none.ok).toBe(false);
    expect(none.llmContent).toMatch(/names: give names and\/or default/);
    const bad = await call(root, 'add_import', { path: 'a.ts', module: 'm', names: ['a; process.exit()'] });
    expect(bad.ok).toBe(false);
    expect(bad.llmContent).toMatch(/names\.0: expected "name" or "name as alias"/);
  });
});
