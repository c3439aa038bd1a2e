import { describe, expect, it } from 'vitest';
import { buildOverlayLauncher, layerPathIsSafe, READ_ONLY_NOTE } from '../../src/sandbox/node-modules-layer.ts';
import { reduceGitConfig } from '../../src/sandbox/checkout-mounts.ts';

describe('buildOverlayLauncher', () => {
  const layers = [
    { target: '/home/u/repo/node_modules', layerDir: '/tmp/patchloop-layer-1/nm0' },
    { target: '/srv/a,b/node_modules', layerDir: '/tmp/patchloop-layer-1/nm1' },
  ];
  const argv = buildOverlayLauncher('/usr/bin/unshare', layers, ['/usr/bin/bwrap', '--ro-bind', '/', '/', '--', 'true']);

  it('starts a new user and mount namespace, then the script with target/layer pairs, then the bwrap argv after --', () => {
    expect(argv.slice(0, 5)).toEqual(['/usr/bin/unshare', '--user', '--map-root-user', '--mount', '--']);
    const script = argv.indexOf('-c') + 1;
    expect(argv.slice(script + 1, script + 6)).toEqual(['sh', ...layers.flatMap((l) => [l.target, l.layerDir])]);
    expect(argv.slice(script + 6)).toEqual(['--', '/usr/bin/bwrap', '--ro-bind', '/', '/', '--', 'true']);
  });

  it('falls back to a read-only bind with a note, never to a writable real node_modules', () => {
    const script = argv[argv.indexOf('-c') + 1]!;
    expect(script).toContain('mount -t overlay overlay -o "lowerdir=$l/lower,upperdir=$l/upper,workdir=$l/work" "$t"');
    expect(script).toContain(READ_ONLY_NOTE);
    expect(script).toMatch(/mount -o remount,bind,ro "\$t" \|\| exit 125/);
  });

  it('refuses layer dirs that overlay options cannot carry', () => {
    expect(layerPathIsSafe('/tmp/a,b')).toBe(false);
    expect(layerPathIsSafe('/tmp/a:b')).toBe(false);
    expect(layerPathIsSafe('relative')).toBe(false);
    expect(() => buildOverlayLauncher('/usr/bin/unshare', [{ target: '/x', layerDir: '/tmp/a,b' }], ['true'])).toThrow(/bad layer/);
  });
});

describe('reduceGitConfig', () => {
  it('keeps the format version and extensions, drops remotes, credentials, hooks and fsmonitor', () => {
    const text = [
      '[core]', '\trepositoryformatversion = 1', '\thooksPath = /evil', '\tfsmonitor = /evil.sh',
      '[remote "origin"]', '\turl = https://u:tok@example.com/r.git',
      '[extensions]', '\tobjectformat = sha256',
      '[credential]', '\thelper = store',
    ].join('\n');
    expect(reduceGitConfig(text)).toBe('[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectformat = sha256\n');
    expect(reduceGitConfig('')).toBe('[core]\n\trepositoryformatversion = 0\n');
  });
});
