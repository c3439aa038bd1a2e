import { describe, expect, it } from 'vitest';
import { RecordingDb } from './db';
import { UserRepository } from './user-repo';
import { UserNotFoundError, UserService } from './user-service';

function setup() {
  const db = new RecordingDb();
  const events: string[] = [];
  const service = new UserService(new UserRepository(db), (e) => events.push(e));
  return { db, events, service };
}

describe('UserService', () => {
  it('does not query the database for one-letter terms', async () => {
    const { db, service } = setup();
    const page = await service.directory(' a ');
    expect(page.items).toEqual([]);
    expect(db.calls).toHaveLength(0);
  });

  it('audits a deactivation', async () => {
    const { db, events, service } = setup();
    db.enqueueChanges(1);
    await service.deactivateUser(7, 'admin@example.com');
    expect(events).toEqual(['user 7 deactivated by admin@example.com']);
  });

  it('throws UserNotFoundError when nothing changed', async () => {
    const { service } = setup();
    await expect(service.deactivateUser(9, 'admin@example.com')).rejects.toBeInstanceOf(UserNotFoundError);
  });
});
