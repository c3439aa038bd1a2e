/**
 * The `gold` provider: plays an instance's reference patch (the human fix) as edit tool calls, so a
 * run measures the harness — sandbox, validators, tests, scoring — and not a model. What SWE-bench
 * does to prove its harness (every gold patch must resolve its own instance).
 *
 * Turns (src/machine/protocol.md): the first call is the plan phase → a one-line plan (edit tools
 * are offered there too, but refused); the next call opens the edit phase → every edit call at once; every later turn (summary, repairs) → text only, so a harness defect shows as an unresolved
 * run instead of the provider improvising.
 */
import { ZERO_USAGE, type ModelProvider, type ModelRequest, type ModelResponse } from './types.ts';
import type { EditCall } from './gold-edits.ts';

export const GOLD_MODEL = 'gold-patch';

export class GoldProvider implements ModelProvider {
  readonly name = 'gold';
  readonly model = GOLD_MODEL;
  private played = false;
  private planned = false;

  /** @param calls the patch as edit calls (`editCalls(await patchChanges(...))`) */
  constructor(private readonly calls: EditCall[]) {}

  async complete(_request: ModelRequest): Promise<ModelResponse> {
    const reply = (text: string): ModelResponse => ({ model: GOLD_MODEL, provider: 'gold', stopReason: 'end_turn', content: [{ type: 'text', text }], usage: { ...ZERO_USAGE } });
    if (!this.planned) {
      this.planned = true;
      return reply(`Plan: apply the reference patch (${this.calls.length} edit call(s)).`);
    }
    if (this.played) return reply('Applied the reference patch; nothing further to change.');
    this.played = true;
    return {
      model: GOLD_MODEL, provider: 'gold', stopReason: 'tool_use', usage: { ...ZERO_USAGE },
      content: [
        { type: 'text', text: 'Applying the reference patch.' },
        ...this.calls.map((c, i) => ({ type: 'tool_use' as const, id: `gold_${i + 1}`, name: c.name, input: c.input })),
      ],
    };
  }
}
