import { describe, expect, it } from 'vitest';
import { SessionStore } from './session-store';

describe('session store', () => {
  it('returns live sessions and drops expired ones', () => {
    let now = 1_000;
    const store = new SessionStore(10, () => now);
    store.put('t1', { userId: 'u1', scopes: ['read'], expiresAt: 2_000 });
    expect(store.get('t1')).toEqual({ userId: 'u1', scopes: ['read'], expiresAt: 2_000 });
    now = 2_000;
    expect(store.get('t1')).toBeUndefined();
    expect(store.revoke('t1')).toBe(false);
  });
});
