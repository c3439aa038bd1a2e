/** Newline-delimited JSON over a stream: the validation worker's socket and the warm validation server's. */

/** Reads newline-delimited JSON from a socket stream, one callback per parsed line (garbage lines dropped). */
export function onJsonLines(stream: NodeJS.ReadableStream, each: (msg: unknown) => void): void {
  stream.setEncoding('utf8');
  let buffer = '';
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        continue; // not JSON: ignore
      }
      each(msg);
    }
  });
}
