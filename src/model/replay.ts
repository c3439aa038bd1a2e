/**
 * Offline providers: `ReplayProvider` answers from a recorded transcript (JSONL, one
 * `ModelResponse` per line — see src/machine/protocol.md) and `RecordingProvider` wraps any live
 * provider and writes that same format, so a live run becomes a transcript.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, ModelError } from '../errors.ts';
import { PromptCacheSimulator, type CacheSimulatorOptions } from './estimate.ts';
import { transcriptLineSchema, type TranscriptLine } from './schema.ts';
import type { CompleteOptions, ContentBlock, ModelProvider, ModelRequest, ModelResponse, TokenCount } from './types.ts';

/** Model id replay answers as when the transcript does not say; priced like the real thing. */
export const REPLAY_DEFAULT_MODEL = 'claude-sonnet-5-5';

/**
 * Parses transcript text into lines, validating each with zod.
 *
 * @param text JSONL contents; blank lines are skipped.
 * @param source name used in errors (usually the file path).
 * @throws ConfigError `bad_transcript` naming `source:line` and the problem (bad JSON, a missing or
 *   misspelt field, a duplicate tool-use id, an empty transcript).
 */
export function parseTranscript(text: string, source: string): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  const seenIds = new Map<string, number>();
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const lineText = raw[i]!.trim();
    if (lineText === '') continue;
    const where = `${source}:${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(lineText);
    } catch (err) {
      throw new ConfigError('bad_transcript', `${where}: not valid JSON (${(err as Error).message}); each line must be one ModelResponse object`, err);
    }
    const parsed = transcriptLineSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.length > 0 ? issue.path.join('.') : '(line)';
      throw new ConfigError('bad_transcript', `${where}: ${path}: ${issue.message} (see "Replay transcripts" in src/machine/protocol.md)`);
    }
    for (const b of parsed.data.content) {
      if (b.type !== 'tool_use') continue;
      const first = seenIds.get(b.id);
      if (first !== undefined) {
        throw new ConfigError('bad_transcript', `${where}: tool_use id "${b.id}" was already used on line ${first}; ids must be unique within a transcript`);
      }
      seenIds.set(b.id, i + 1);
    }
    lines.push(parsed.data);
  }
  if (lines.length === 0) throw new ConfigError('bad_transcript', `${source}: transcript is empty; it needs one ModelResponse per line`);
  return lines;
}

export interface ReplayOptions {
  /** Name used in errors. Default `transcript`. */
  source?: string;
  /** Prompt-cache simulation for lines without `usage` (clock, TTL, minimum prefix). */
  cache?: CacheSimulatorOptions;
}

/**
 * Answers each `complete()` with the next transcript line, in order. Lines without `usage` get an
 * estimate (≈ 4 chars/token) with simulated prompt caching of the unchanged prefix.
 *
 * @throws ModelError `replay_exhausted` (not retryable) when asked for more turns than recorded;
 *   `aborted` when the signal is already aborted.
 */
export class ReplayProvider implements ModelProvider {
  readonly name = 'replay';
  readonly model: string;
  private next = 0;
  private readonly cache: PromptCacheSimulator;
  private readonly source: string;

  constructor(private readonly lines: TranscriptLine[], opts: ReplayOptions = {}) {
    this.model = lines[0]?.model ?? REPLAY_DEFAULT_MODEL;
    this.cache = new PromptCacheSimulator(opts.cache);
    this.source = opts.source ?? 'transcript';
  }

  /** Reads and validates a transcript file. @throws ConfigError `bad_transcript` / `transcript_unreadable`. */
  static async fromFile(path: string, opts: Omit<ReplayOptions, 'source'> = {}): Promise<ReplayProvider> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new ConfigError('transcript_unreadable', `cannot read transcript ${path}: ${(err as Error).message}; pass --transcript <file.jsonl>`, err);
    }
    return new ReplayProvider(parseTranscript(text, path), { ...opts, source: path });
  }

  /** Turns answered so far. */
  get position(): number {
    return this.next;
  }

  async complete(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    if (signal?.aborted) throw new ModelError('aborted', 'replay call aborted', { retryable: false });
    const line = this.lines[this.next];
    if (line === undefined) {
      throw new ModelError(
        'replay_exhausted',
        `replay transcript ${this.source} holds ${this.lines.length} turns and the run asked for turn ${this.next + 1}: record a longer transcript or lower the iteration cap`,
        { retryable: false },
      );
    }
    this.next++;
    const content = structuredClone(line.content) as ContentBlock[];
    // Always feed the simulator so later estimates see the same cache a live run would have.
    const estimated = this.cache.usageFor(request, content);
    return {
      model: line.model,
      provider: this.name,
      content,
      stopReason: line.stopReason,
      usage: line.usage ?? estimated,
    };
  }
}

export interface RecordingOptions {
  /** JSONL file to append to (created with its directory when missing). */
  path: string;
  /** Append function; injected so tests can capture writes. Default `fs.promises.appendFile`. */
  append?: (path: string, data: string) => Promise<void>;
}

/**
 * Wraps a provider and appends every successful response to a transcript file (same format
 * `ReplayProvider` reads). Failed calls are not recorded. Writes are serialised so lines stay in
 * call order even when calls overlap.
 */
export class RecordingProvider implements ModelProvider {
  readonly name: string;
  readonly model: string;
  private queue: Promise<void> = Promise.resolve();
  private readonly append: (path: string, data: string) => Promise<void>;
  private dirReady = false;

  constructor(private readonly inner: ModelProvider, private readonly opts: RecordingOptions) {
    this.name = inner.name;
    this.model = inner.model;
    this.append = opts.append ?? ((p, d) => appendFile(p, d, 'utf8'));
    if (inner.countTokens) this.countTokens = (req, signal) => inner.countTokens!(req, signal);
  }

  /** The wrapped provider's count, when it has one. */
  readonly countTokens?: (request: ModelRequest, signal?: AbortSignal) => Promise<TokenCount>;

  async complete(request: ModelRequest, signal?: AbortSignal, options?: CompleteOptions): Promise<ModelResponse> {
    const res = await this.inner.complete(request, signal, options);
    const line = JSON.stringify({ model: res.model, provider: res.provider, stopReason: res.stopReason, content: res.content, usage: res.usage });
    const write = this.queue.then(async () => {
      if (!this.dirReady && !this.opts.append) await mkdir(dirname(this.opts.path), { recursive: true });
      this.dirReady = true;
      await this.append(this.opts.path, line + '\n');
    });
    this.queue = write.catch(() => undefined);
    await write;
    return res;
  }
}
