/** dist/'s imports of the vendored packages point at their bundles (src/cli/vendor.mjs); nothing else is touched. */
import { describe, expect, it } from 'vitest';

// Plain JavaScript without types (build.mjs runs it before anything is compiled).
const modulePath = '../../src/cli/vendor.mjs';
const { rewriteVendoredImports, vendorFile } = (await import(modulePath)) as {
  rewriteVendoredImports: (code: string, fromDir: string, vendorDir: string, packages?: string[]) => string;
  vendorFile: (pkg: string) => string;
};

describe('vendored packages', () => {
  it('names a bundle after its package', () => {
    expect(vendorFile('@anthropic-ai/sdk')).toBe('anthropic-ai-sdk.mjs');
    expect(vendorFile('zod')).toBe('zod.mjs');
  });

  it('points static, re-export and dynamic imports at the bundle, relative to the module', () => {
    const code = [
      "import Anthropic from '@anthropic-ai/sdk';",
      "import * as AnthropicSdk from '@anthropic-ai/sdk';",
      "import { z } from 'zod';",
      "export { diffLines } from 'diff';",
      "const lazy = () => import('zod');",
    ].join('\n');
    expect(rewriteVendoredImports(code, '/p/dist/tools/ast', '/p/dist/vendor')).toBe([
      "import Anthropic from '../../vendor/anthropic-ai-sdk.mjs';",
      "import * as AnthropicSdk from '../../vendor/anthropic-ai-sdk.mjs';",
      "import { z } from '../../vendor/zod.mjs';",
      "export { diffLines } from '../../vendor/diff.mjs';",
      "const lazy = () => import('../../vendor/zod.mjs');",
    ].join('\n'));
  });

  it('leaves strings that only contain a package name, other packages and subpaths alone', () => {
    const code = [
      "await git.raw(['diff', '--cached', '--name-only']);",
      "const msg = 'zod';",
      "import { Project } from 'ts-morph';",
      "import { z } from 'zod/mini';",
      "import { x } from 'diff-sequences';",
    ].join('\n');
    expect(rewriteVendoredImports(code, '/p/dist/git', '/p/dist/vendor')).toBe(code);
  });
});
