// Every attack from sandbox/attacks.ts (the list `npm run sandbox:audit` prints) must be contained
// by the default backend on this machine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS, createAttackWorld, type AttackWorld } from '../../sandbox/attacks.ts';

describe('sandbox audit (default backend)', () => {
  let world: AttackWorld;
  beforeAll(async () => {
    world = await createAttackWorld();
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('the default backend here is bwrap and isolated, with every limit enforced', () => {
    expect(world.sandbox.backend).toBe('bwrap');
    expect(world.sandbox.isolated).toBe(true);
    expect(world.sandbox.enforcement).toEqual({ processes: 'cgroup', memory: 'cgroup', cpu: 'rlimit', fileSize: 'rlimit' });
    expect(world.warnings).toEqual([]);
  });

  for (const attack of ATTACKS) {
    it(`${attack.name}: ${attack.expected}`, async () => {
      const r = await attack.run(world);
      expect(r.observed).toBeTypeOf('string');
      expect(r.pass, r.observed).toBe(true);
    }, 60_000);
  }
});
