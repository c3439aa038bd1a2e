/**
 * Serves a recorded transcript over real HTTP: an Anthropic wire server (primary) and an
 * OpenAI-compatible one (fallback) answer from one shared cursor, so whichever provider the chain
 * reaches gives the next turn. Faults are injected on the primary only.
 */
import { readFileSync } from 'node:fs';
import { parseTranscript } from '../../src/model/replay.ts';
import type { TranscriptLine } from '../../src/model/schema.ts';
import { startAnthropicServer, type AnthropicTestServer, type Scripted, type ScriptedBlock } from './anthropic-server.ts';
import { startOpenAIServer, type OpenAITestServer, type OpenAIScripted } from './openai-server.ts';

export interface TranscriptServers {
  anthropic: AnthropicTestServer;
  openai: OpenAITestServer;
  /** Turns served so far. */
  served: () => number;
  close(): Promise<void>;
}

function toAnthropic(line: TranscriptLine): Scripted {
  const content = line.content.filter((b) => b.type === 'text' || b.type === 'tool_use' || b.type === 'thinking') as ScriptedBlock[];
  return { kind: 'message', content, stopReason: line.stopReason, model: 'claude-sonnet-5-5' };
}

function toOpenAI(line: TranscriptLine): OpenAIScripted {
  const text = line.content.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join('\n');
  const toolCalls = line.content.filter((b) => b.type === 'tool_use').map((b) => {
    const t = b as { id: string; name: string; input: unknown };
    return { id: t.id, name: t.name, arguments: JSON.stringify(t.input) };
  });
  return { kind: 'message', content: text, ...(toolCalls.length ? { toolCalls } : {}), finishReason: toolCalls.length ? 'tool_calls' : 'stop', model: 'qwen3-coder' };
}

export async function startTranscriptServers(transcriptPath: string, fault?: { rate: number; seed: number; status?: number }): Promise<TranscriptServers> {
  const lines = parseTranscript(readFileSync(transcriptPath, 'utf8'), transcriptPath);
  let cursor = 0;
  const next = () => {
    const line = lines[cursor++];
    return line;
  };
  const anthropic = await startAnthropicServer({
    ...(fault ? { randomFailure: fault } : {}),
    script: () => {
      const line = next();
      return line ? toAnthropic(line) : { kind: 'error', status: 400, message: 'transcript exhausted' };
    },
  });
  const openai = await startOpenAIServer({
    script: () => {
      const line = next();
      return line ? toOpenAI(line) : { kind: 'error', status: 400, message: 'transcript exhausted' };
    },
  });
  return {
    anthropic, openai, served: () => cursor,
    close: async () => {
      await anthropic.close();
      await openai.close();
    },
  };
}
