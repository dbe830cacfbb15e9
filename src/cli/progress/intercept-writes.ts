/**
 * Hands writes to `stream` made by anyone else (notes from the runner, a signal
 * handler's message) to `foreign`, which decides when to pass them on; writes made
 * through the returned `own` go straight through. `restore` puts the stream back.
 */
export function interceptWrites(
  stream: NodeJS.WriteStream, own: (text: string) => void, foreign: (text: string, passOn: () => void) => void,
): { own(text: string): void; restore(): void } {
  const original = stream.write;
  let inOwn = false;
  const replacement = function (this: NodeJS.WriteStream, ...args: Parameters<typeof original>): boolean {
    if (inOwn) return original.apply(stream, args);
    let result = true;
    foreign(textOf(args[0]), () => {
      result = original.apply(stream, args);
    });
    return result;
  };
  stream.write = replacement as typeof original;
  return {
    own(text) {
      inOwn = true;
      try {
        own(text);
      } finally {
        inOwn = false;
      }
    },
    restore() {
      if (stream.write === replacement) stream.write = original;
    },
  };
}

function textOf(chunk: unknown): string {
  if (typeof chunk === 'string') return chunk;
  return chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString() : String(chunk);
}
