import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/errors.js';
import { embeddingMatrix } from '../../../src/models/embeddings/embedding-matrix.js';
import type { EmbeddingsFormat } from '../../../src/models/embeddings/types.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-embeddings-bad-'));
/** A token that must never reach a message: errors say where and what was expected, not the file's bytes. */
const RAW = 'RAWBYTES';

function binary(words: [string, number[]][], header = `${words.length} ${words[0]![1].length}\n`): Buffer {
  return Buffer.concat([Buffer.from(header), ...words.map(([word, values]) => {
    const floats = Buffer.alloc(values.length * 4);
    values.forEach((x, k) => floats.writeFloatLE(x, 4 * k));
    return Buffer.concat([Buffer.from(`${word} `), floats, Buffer.from('\n')]);
  })]);
}

const wink = (vectors: string, head = '"dimensions":2,"l2NormIndex":2,"wordIndex":3') => `{"precision":8,${head},"words":["a","b"],"vectors":{${vectors}},"unkVector":[0,0,-1]}`;

interface Case {
  readonly name: string;
  readonly file: string;
  readonly content: string | Buffer;
  readonly format?: EmbeddingsFormat;
  readonly code: string;
  readonly message: RegExp;
}

const CASES: readonly Case[] = [
  { name: 'a line with too few values', file: 'few.txt', content: 'a 1 2 3\nb 1 2\n', code: 'E_EMBEDDINGS_FORMAT', message: /few\.txt:2: expected 3 values after the word, as the first line has; found 2$/ },
  { name: 'a wanted line with too many values', file: 'many.txt', content: 'a 1 2\r\nb 1 2 3\r\n', code: 'E_EMBEDDINGS_FORMAT', message: /many\.txt:2: expected 2 values after the word, as the first line has; found 3$/ },
  { name: 'a value that is not a number', file: 'nan.txt', content: `a 1 2\n\nwanted 1 ${RAW}\n`, code: 'E_EMBEDDINGS_FORMAT', message: /nan\.txt:3: value 2 is not a finite number$/ },
  { name: 'a word without values', file: 'bare.txt', content: 'bare\n', code: 'E_EMBEDDINGS_FORMAT', message: /bare\.txt:1: a word without values/ },
  { name: 'a .vec without its header line', file: 'nohead.vec', content: 'a 1 2\n', code: 'E_EMBEDDINGS_FORMAT', message: /nohead\.vec:1: expected the header line `count dim`/ },
  { name: 'word2vec text whose lines disagree with the header', file: 'dim.txt', content: '2 3\na 1 2 3\nwanted 1 2\n', code: 'E_EMBEDDINGS_FORMAT', message: /dim\.txt:3: expected 3 values after the word, as the header says; found 2$/ },
  { name: 'word2vec text with fewer words than announced', file: 'short.vec', content: '3 2\na 1 2\nb 1 2\n', code: 'E_EMBEDDINGS_TRUNCATED', message: /short\.vec: the header says 3 words, the file holds 2$/ },
  { name: 'an empty GloVe file', file: 'empty.txt', content: '\n\n', code: 'E_EMBEDDINGS_EMPTY', message: /empty\.txt: holds no word vectors$/ },
  { name: 'a binary file cut inside a vector', file: 'cut.bin', content: binary([['a', [1, 2, 3]], ['wanted', [4, 5, 6]]]).subarray(0, 30), code: 'E_EMBEDDINGS_TRUNCATED', message: /cut\.bin: ends at byte 30, inside word 2 of the 2 the header announces$/ },
  { name: 'a binary file without its header', file: 'nohead.bin', content: Buffer.concat([Buffer.from(`${RAW} `), Buffer.alloc(12)]), code: 'E_EMBEDDINGS_FORMAT', message: /nohead\.bin: expected the header line `count dim`/ },
  { name: 'a binary file with more than it announces', file: 'more.bin', content: Buffer.concat([binary([['a', [1, 2]]]), Buffer.from(`${RAW} `)]), code: 'E_EMBEDDINGS_FORMAT', message: /more\.bin: word 1 \(byte 15\): data after the 1 word the header announces$/ },
  { name: 'a binary vector holding NaN', file: 'nanv.bin', content: binary([['a', [1, 2]], ['wanted', [3, NaN]]]), code: 'E_EMBEDDINGS_FORMAT', message: /nanv\.bin: word 2 \(byte 15\): value 2 is not a finite number$/ },
  { name: 'wink JSON cut short', file: 'cut.json', content: wink('"a":[1,2,2.2,0],"wanted":[3,4,5,1]').slice(0, 110), code: 'E_EMBEDDINGS_TRUNCATED', message: /cut\.json: ends inside the JSON, in the vectors, after 1 word \(byte 110\)$/ },
  { name: 'a wink array of the wrong length', file: 'len.json', content: wink('"a":[1,2,2.2,0],"b":[3,4,5,6,1]'), code: 'E_EMBEDDINGS_FORMAT', message: /len\.json: at byte 109: word 2's array has 5 values, expected 4 \(2 of the vector and the numbers after it\)$/ },
  { name: 'a wink vector value that is not a number', file: 'str.json', content: wink(`"a":[1,2,2.2,0],"wanted":[3,"${RAW}",5,1]`), code: 'E_EMBEDDINGS_FORMAT', message: /str\.json: at byte 117: value 2 of word 2's vector is not a finite number$/ },
  { name: 'wink vectors before their dimensions', file: 'order.json', content: '{"vectors":{"a":[1,2,2.2,0]},"dimensions":2}', code: 'E_EMBEDDINGS_FORMAT', message: /order\.json: at byte 11: "dimensions" \(above 0\) must come before "vectors"$/ },
  { name: 'JSON that is not an object', file: 'array.json', content: ` [${RAW}]`, code: 'E_EMBEDDINGS_FORMAT', message: /array\.json: at byte 1: expected a JSON object$/ },
  { name: 'a wink word that is not a string', file: 'key.json', content: wink(`"a":[1,2,2.2,0],${RAW}:[1,2,3,4]`), code: 'E_EMBEDDINGS_FORMAT', message: /key\.json: at byte 105: expected a word \(a string in double quotes\)$/ },
  { name: 'data after the wink object', file: 'after.json', content: `${wink('"a":[1,2,2.2,0]')} ${RAW}`, code: 'E_EMBEDDINGS_FORMAT', message: /after\.json: at byte 128: more data after the end of the JSON object$/ },
  { name: 'a wink file without vectors', file: 'novec.json', content: '{"dimensions":2, "words": ["a", {"b": [1]}]}', code: 'E_EMBEDDINGS_EMPTY', message: /novec\.json: holds no word vectors/ },
  { name: 'a damaged gzip', file: 'bad.txt.gz', content: Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from(RAW)]), code: 'E_EMBEDDINGS_GZIP', message: /bad\.txt\.gz: not a valid gzip file/ },
];

describe('malformed word-vector files', () => {
  it.each(CASES)('$name: a DataError with where and what was expected, none of the bytes', async ({ file, content, format, code, message }) => {
    const path = join(dir, file);
    writeFileSync(path, content);
    const error = await embeddingMatrix({ file: path, ...(format ? { format } : {}) }, ['<pad>', '<unk>', 'wanted'], { cacheDir: join(dir, 'cache') }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect((error as DataError).message).toMatch(message);
    expect((error as DataError).message).not.toContain(RAW);
    expect((error as DataError).hint).toBeTruthy();
  });

  it('a missing file is a DataError naming it', async () => {
    const error = await embeddingMatrix({ file: join(dir, 'nowhere.txt') }, ['<pad>', '<unk>'], { cacheDir: join(dir, 'cache') }).then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_EMBEDDINGS_MISSING', message: expect.stringMatching(/nowhere\.txt: no such file$/) });
  });
});
