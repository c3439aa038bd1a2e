import { describe, expect, it } from 'vitest';
import { RecordingDb } from './db';
import { UserRepository } from './user-repo';

const ada = { id: 7, email: 'ada@example.com', name: 'Ada Lovelace', active: 1 };
const alan = { id: 5, email: 'alan@example.com', name: 'Alan Turing', active: 1 };

describe('UserRepository', () => {
  it('maps a row to a user by id', async () => {
    const db = new RecordingDb();
    db.enqueueRows([{ ...ada, active: 0 }]);
    const user = await new UserRepository(db).findById(7);
    expect(user).toEqual({ id: 7, email: 'ada@example.com', name: 'Ada Lovelace', active: false });
    expect(db.calls[0]?.params).toEqual([7]);
  });

  it('returns undefined for a missing id', async () => {
    expect(await new UserRepository(new RecordingDb()).findById(1)).toBeUndefined();
  });

  it('returns one page of search results', async () => {
    const db = new RecordingDb();
    db.enqueueRows([ada, alan]);
    const page = await new UserRepository(db).search('a', { pageSize: 1 });
    expect(page.items.map((u) => u.id)).toEqual([7]);
    expect(page.hasMore).toBe(true);
  });

  it('reports whether deactivation changed a row', async () => {
    const db = new RecordingDb();
    db.enqueueChanges(1);
    db.enqueueChanges(0);
    const repo = new UserRepository(db);
    expect(await repo.deactivate(7)).toBe(true);
    expect(await repo.deactivate(8)).toBe(false);
  });
});
