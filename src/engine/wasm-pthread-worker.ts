/**
 * The script each pthread of the threaded tfjs-backend-wasm runs under Node (a
 * worker_threads Worker needs a file path; tfjs-backend-wasm hands emscripten a Blob
 * URL, which Node refuses with ERR_WORKER_PATH). It runs the package's own pthread
 * worker code, which emscripten wrote for Node as a CommonJS module, with the
 * `require` and `__filename` such a module has. See wasm-threads.ts.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as
  { wasmWorkerContents: string };
// The string is a template literal, so the `\n` escapes in its string literals came out
// as newlines; put them back (as the package's loader does before making its Blob).
const source = wasmWorkerContents.replace(/\n/g, '\\n');
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the package ships its worker as a string
new Function('require', '__filename', source)(require, fileURLToPath(import.meta.url));
