/**
 * Ctrl-C for a running loop: the first SIGINT stops after the current step (the run stays
 * resumable), the second kills the step's process tree at once.
 */
import type { RunControl } from '../run/run-task.ts';

export interface InterruptHandle {
  control: RunControl;
  dispose(): void;
}

export function installInterruptHandler(say: (line: string) => void, proc: NodeJS.Process = process): InterruptHandle {
  const abort = new AbortController();
  let stopRequested = false;
  const onSigint = () => {
    if (!stopRequested) {
      stopRequested = true;
      say('patchloop: stopping after the current step (Ctrl-C again to kill it now)…');
    } else {
      say('patchloop: killing the current step');
      abort.abort();
    }
  };
  proc.on('SIGINT', onSigint);
  return {
    control: {
      get stopRequested() {
        return stopRequested;
      },
      signal: abort.signal,
    },
    dispose: () => proc.off('SIGINT', onSigint),
  };
}
