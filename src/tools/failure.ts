/**
 * A failure the model can fix (bad field, no match, path refused). Tools throw it internally; the
 * tool wrapper (`defineTool`) turns it into `ok:false` with `message` as the model's content. It never
 * escapes a tool's `run`.
 */
export class ToolFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolFailure';
  }
}
