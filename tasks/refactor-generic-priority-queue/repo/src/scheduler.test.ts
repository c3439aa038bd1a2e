import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler';

describe('scheduler', () => {
  it('releases due jobs in time order, ties in scheduling order', () => {
    const s = new Scheduler();
    s.schedule({ id: 'report', runAt: 300 });
    s.schedule({ id: 'email-a', runAt: 100 });
    s.schedule({ id: 'email-b', runAt: 100 });
    s.schedule({ id: 'backup', runAt: 200 });
    expect(s.due(250).map((j) => j.id)).toEqual(['email-a', 'email-b', 'backup']);
    expect(s.pending).toBe(1);
    expect(s.due(250)).toEqual([]);
    expect(s.due(300).map((j) => j.id)).toEqual(['report']);
  });
});
