/**
 * A provider whose first reply was already bought — through Message Batches at half price — and
 * which hands every later call to the live provider. The first reply is marked `<name>-batch` so
 * the cost function applies the batch discount and the trace shows where it came from.
 */
import type { CompleteOptions, ModelProvider, ModelRequest, ModelResponse } from './types.ts';

export class PrefetchedFirstReply implements ModelProvider {
  readonly name: string;
  readonly model: string;
  private first: ModelResponse | undefined;

  constructor(first: ModelResponse, private readonly inner: ModelProvider) {
    this.name = inner.name;
    this.model = inner.model;
    this.first = { ...first, provider: `${first.provider}-batch` };
  }

  async complete(request: ModelRequest, signal?: AbortSignal, options?: CompleteOptions): Promise<ModelResponse> {
    const first = this.first;
    if (first) {
      this.first = undefined;
      return first;
    }
    return this.inner.complete(request, signal, options);
  }
}
