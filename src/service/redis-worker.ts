/** Placeholder until the BullMQ deployment lands. */
import { UsageError } from '../errors.ts';

export async function startRedisWorker(_o: unknown): Promise<{ close: () => Promise<void> }> {
  throw new UsageError('redis_unavailable', '--redis is not available in this build');
}
