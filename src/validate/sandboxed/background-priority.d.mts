/** Types of background-priority.mjs (plain JavaScript: the sandboxed worker runs it on bare Node). */
export declare const DEFAULT_VALIDATION_NICE: number;
/** The nice value for validation from `env.PATCHLOOP_VALIDATION_NICE` (0–19); throws on anything else. */
export declare function validationNice(env?: NodeJS.ProcessEnv): number;
/** Lowers this process's CPU share (its session's autogroup when it leads the session); never throws. */
export declare function lowerSessionPriority(nice: number, opts?: { proc?: string; procRoot?: string; attempts?: number }): Promise<'autogroup' | 'thread' | 'off'>;
