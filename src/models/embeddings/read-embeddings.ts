import { UsageError } from '../../errors.js';
import { BinaryReader } from './read-binary.js';
import { TextReader } from './read-text.js';
import { WinkReader } from './read-wink.js';
import { streamFile } from './stream-file.js';
import type { ChunkReader, EmbeddingsFormat, ReadProgress, ReadSummary, VectorSink } from './types.js';

function readerFor(format: EmbeddingsFormat, sink: VectorSink, file: string): ChunkReader {
  switch (format) {
    case 'wink':
      return new WinkReader(sink, file);
    case 'glove':
    case 'word2vec':
    case 'fasttext':
      return new TextReader(sink, { file, format });
    case 'word2vec-binary':
      return new BinaryReader(sink, file);
    default:
      throw new UsageError('E_EMBEDDINGS_FORMAT', `unknown word-vector format '${String(format)}'`, 'use wink, glove, word2vec, fasttext or word2vec-binary');
  }
}

/**
 * Reads a word-vector file once, streamed, handing the wanted words' vectors to
 * `sink`; resolves with what the file held and the sha256 of its bytes.
 */
export async function readEmbeddings(file: string, format: EmbeddingsFormat, sink: VectorSink, onProgress?: (p: ReadProgress) => void): Promise<ReadSummary & { sha256: string }> {
  const reader = readerFor(format, sink, file);
  const sha256 = await streamFile(file, (chunk) => reader.take(chunk), onProgress);
  return { ...reader.end(), sha256 };
}
