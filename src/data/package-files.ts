import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DataError } from '../errors.js';

/** An npm package that holds data tlx reads (sentences, e-mails, word vectors), not code it runs. */
export interface DataPackage {
  readonly name: string;
  /** The version whose layout tlx knows; another one installed is refused, since its files may differ. */
  readonly version: string;
}

export interface PackagePlaces {
  /** Where the experiment file is: its node_modules is looked in first. */
  readonly baseDir: string;
  /** TLX_PACKAGES: folders holding `<name>/package.json` unpacked from `npm pack` tarballs (tests, offline mirrors). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

function installedRoot(name: string, from: string): string | undefined {
  try {
    return dirname(createRequire(join(from, 'noop.js')).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The folders a data package may be in, in the order they are tried. */
function candidates(pkg: DataPackage, places: PackagePlaces): string[] {
  const unpacked = (places.env.TLX_PACKAGES ?? '').split(':').filter((p) => p !== '').map((dir) => resolve(dir, pkg.name));
  const installed = [installedRoot(pkg.name, resolve(places.baseDir)), installedRoot(pkg.name, dirname(new URL(import.meta.url).pathname))];
  return [...unpacked, ...installed.filter((p): p is string => p != null)];
}

/**
 * The root folder of a data package: in a TLX_PACKAGES folder, installed beside
 * the experiment, or installed beside tlx. Missing, it is a DataError saying how to
 * install it; present at another version, one saying which is wanted.
 */
export function packageRoot(pkg: DataPackage, places: PackagePlaces): string {
  const wrong: string[] = [];
  for (const root of candidates(pkg, places)) {
    const manifest = join(root, 'package.json');
    if (!existsSync(manifest)) continue;
    let version: unknown;
    try {
      version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
    } catch {
      continue;
    }
    if (version === pkg.version) return root;
    wrong.push(`${String(version)} in ${root}`);
  }
  const install = `npm install --no-save ${pkg.name}@${pkg.version} (beside the experiment, or in tlx's folder), or set TLX_PACKAGES to a folder holding it unpacked`;
  if (wrong.length > 0) throw new DataError('E_PACKAGE_VERSION', pkg.name, `found ${pkg.name} ${wrong.join(', ')}, but tlx reads version ${pkg.version}`, install);
  throw new DataError('E_PACKAGE_MISSING', pkg.name, `the npm package ${pkg.name}@${pkg.version} is not installed`, install);
}

/** A file inside a data package (see packageRoot), which must exist. */
export function packageFile(pkg: DataPackage, file: string, places: PackagePlaces): string {
  const path = join(packageRoot(pkg, places), file);
  if (!existsSync(path)) throw new DataError('E_PACKAGE_FILE', path, `${pkg.name}@${pkg.version} has no ${file}`, `reinstall it: npm install --no-save ${pkg.name}@${pkg.version}`);
  return path;
}
