/** Runs many task instances with bounded concurrency, reporting each result as it lands. */
import type { TaskInstance } from './instance.ts';
import type { InstanceResult } from './run-instance.ts';

export async function runSet(
  instances: TaskInstance[],
  concurrency: number,
  runOne: (inst: TaskInstance) => Promise<InstanceResult>,
  onResult?: (r: InstanceResult) => void,
): Promise<InstanceResult[]> {
  const results: InstanceResult[] = new Array(instances.length);
  let next = 0;
  const worker = async () => {
    while (next < instances.length) {
      const i = next++;
      results[i] = await runOne(instances[i]!);
      onResult?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, instances.length)) }, worker));
  return results;
}
