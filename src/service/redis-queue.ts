/** Placeholder until the BullMQ deployment lands. */
import { UsageError } from '../errors.ts';
import type { Dispatcher } from './api.ts';
import type { JobStore } from './job-store.ts';

export async function createRedisDispatch(_o: { url: string; store: JobStore }): Promise<{ dispatch: Dispatcher; close: () => Promise<void>; queueStats: () => Promise<{ depth: number; oldestAgeMs: number; running: number }> }> {
  throw new UsageError('redis_unavailable', '--redis is not available in this build');
}
