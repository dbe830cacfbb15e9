import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DataError } from '../../errors.js';
import { osReason } from '../../os-error.js';

// Reading the folders of an image folder: the class folders at the top, and the
// images anywhere inside each (sub-folders belong to their class, as Keras's
// image_dataset_from_directory has it). Symbolic links are followed; a link that
// leads nowhere, or back into a folder it is in, is an error naming it, and folders
// nest at most MAX_FOLDER_DEPTH deep, so a hostile tree cannot make the walk endless.

/** The file endings read as images (what sharp decodes). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff'];
const IMAGE = new Set(IMAGE_EXTENSIONS);

/** How deep folders may nest below a class folder. */
export const MAX_FOLDER_DEPTH = 32;

/** Names starting with "." (.DS_Store, .git, .thumbnails) are ignored everywhere. */
export const visible = (name: string): boolean => !name.startsWith('.');

export const isImageName = (name: string): boolean => IMAGE.has(extname(name).toLowerCase());

/** A folder's entries; one that cannot be listed is an error naming it. */
export function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    throw new DataError('E_DATA_UNREADABLE', dir, `cannot list the folder: ${osReason(error)}`);
  }
}

const LINK_HINT = 'remove the link, or point it at a folder of images; names starting with "." are ignored';

function unfollowable(path: string, error: unknown): DataError {
  return new DataError('E_DATA_LINK', path, `cannot follow the symbolic link: ${osReason(error)}`, LINK_HINT);
}

/** Whether an entry is a folder, following a symbolic link; one that loops or leads nowhere is an error naming it. */
export function isFolder(dir: string, entry: Dirent): boolean {
  if (!entry.isSymbolicLink()) return entry.isDirectory();
  const path = join(dir, entry.name);
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    throw unfollowable(path, error);
  }
}

/**
 * What an entry inside a class folder is. A link that cannot be followed but is
 * named like an image counts as an image, so that decoding names it (and
 * skipUnreadable can skip it) as it does any unreadable image.
 */
function kindOf(dir: string, entry: Dirent): 'folder' | 'image' | 'other' {
  const image = isImageName(entry.name);
  if (!entry.isSymbolicLink()) return entry.isDirectory() ? 'folder' : image ? 'image' : 'other';
  const path = join(dir, entry.name);
  try {
    return statSync(path).isDirectory() ? 'folder' : image ? 'image' : 'other';
  } catch (error) {
    if (image) return 'image';
    throw unfollowable(path, error);
  }
}

export const TRAIN_FOLDERS = ['train'] as const;

/** The sub-folders of `root` (following links, hidden ones left out), sorted: the classes, in label order. */
export function classFolders(root: string): string[] {
  return entries(root).filter((e) => visible(e.name) && isFolder(root, e)).map((e) => e.name).sort();
}

/** The folder whose sub-folders are the classes: the root, or its train/ when it has explicit splits. */
export function classRoot(root: string): string {
  return TRAIN_FOLDERS.map((s) => join(root, s)).find(existsSync) ?? root;
}

/** The class names of an image folder, as the checks of an experiment see them before reading it. */
export function folderClassNames(root: string): string[] {
  return classFolders(classRoot(root));
}

/** A folder's identity on disk: two paths (one through a link) to the same folder share it. */
function folderId(path: string): string {
  const { dev, ino } = statSync(path);
  return `${dev}:${ino}`;
}

/**
 * The image files anywhere inside a class folder that `keep` keeps, sorted by path
 * (for a flat folder: by file name), so splits are the same on every machine.
 */
export function imagesUnder(classDir: string, keep: (file: string) => boolean): string[] {
  const found: string[] = [];
  // The folders from the class folder down to the one being read, by identity.
  const chain = new Map<string, string>([[folderId(classDir), classDir]]);
  const walk = (dir: string, depth: number) => {
    for (const entry of entries(dir)) {
      if (!visible(entry.name)) continue;
      const path = join(dir, entry.name);
      const kind = kindOf(dir, entry);
      if (kind === 'image' && keep(path)) found.push(path);
      if (kind !== 'folder') continue;
      if (depth === MAX_FOLDER_DEPTH) {
        throw new DataError('E_DATA_DEPTH', path, `folders nest more than ${MAX_FOLDER_DEPTH} deep below the class folder ${classDir}`,
          'move the images to a shallower folder, or hide this one (names starting with "." are ignored)');
      }
      const id = folderId(path);
      const outer = chain.get(id);
      if (outer != null) {
        throw new DataError('E_DATA_LINK', path, `the symbolic link leads back to ${outer}, a folder it is in: the folder would contain itself`, LINK_HINT);
      }
      chain.set(id, path);
      walk(path, depth + 1);
      chain.delete(id);
    }
  };
  walk(classDir, 0);
  return found.sort();
}
