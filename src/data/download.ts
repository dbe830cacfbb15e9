import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { UsageError } from '../errors.js';

export interface DownloadProgress {
  readonly url: string;
  readonly received: number;
  readonly total: number | null;
}

/** A download refused or failed: insecure, too large, too slow, or the server or network failing. */
export class DownloadError extends UsageError {
  override readonly name = 'DownloadError';
}

/** Codes of downloads refused for what they are (the URL, the size): no network or retry helps. */
export const REFUSED = new Set(['E_DOWNLOAD_INSECURE', 'E_DOWNLOAD_TOO_LARGE']);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why tlx will not fetch a URL, or undefined: only https, since anyone on the
 * network can change what plain http delivers (a local server excepted, for tests
 * and mirrors on the same machine).
 */
export function insecureUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${url}' is not a URL`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK.has(parsed.hostname)) return undefined;
  return `https is required: tlx does not download from ${parsed.protocol.replace(/:$/, '')}:// URLs (only 127.0.0.1, localhost and [::1] may use plain http)`;
}

/** The time a whole download may take, shared by its files. */
export interface Deadline {
  readonly signal: AbortSignal;
  readonly seconds: number;
}

const DEFAULT_TIMEOUT_S = 1800;

/** A deadline from now, of TLX_DOWNLOAD_TIMEOUT_S seconds (default 30 minutes). */
export function downloadDeadline(env: Readonly<Record<string, string | undefined>>): Deadline {
  const text = env.TLX_DOWNLOAD_TIMEOUT_S;
  const seconds = text == null || text === '' ? DEFAULT_TIMEOUT_S : Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new UsageError('E_ENV', `TLX_DOWNLOAD_TIMEOUT_S must be a positive number of seconds (got '${text}')`,
      `unset it for the default of ${DEFAULT_TIMEOUT_S} s`);
  }
  return { signal: AbortSignal.timeout(seconds * 1000), seconds };
}

export interface DownloadLimits {
  /** Refuse (and stop receiving) a file larger than this. */
  readonly maxBytes?: number;
  /** When to give up; a fresh TLX_DOWNLOAD_TIMEOUT_S deadline when absent. */
  readonly deadline?: Deadline;
  /**
   * Plain http from any host too: only for files checked against a checksum tlx
   * knows before it uses them (a dataset's), which tampering can only make fail.
   */
  readonly checksummed?: boolean;
}

const MAX_REDIRECTS = 5;

/**
 * Downloads a URL (https, following at most 5 redirects, none to plain http) to
 * `dest` through a temp file, renamed only when complete, so an interrupted
 * download leaves nothing that looks finished. Resolves with the sha256 of the
 * bytes received. Throws DownloadError.
 */
export async function download(url: string, dest: string, onProgress?: (p: DownloadProgress) => void, limits: DownloadLimits = {}): Promise<string> {
  const { maxBytes = Infinity, deadline = downloadDeadline(process.env), checksummed = false } = limits;
  const part = `${dest}.${process.pid}.part`;
  try {
    const response = await request(url, MAX_REDIRECTS, deadline.signal, checksummed);
    const total = Number(response.headers['content-length']) || null;
    if (total != null && total > maxBytes) {
      response.destroy();
      throw new DownloadError('E_DOWNLOAD_TOO_LARGE', `${url} is ${total} bytes, over the limit of ${maxBytes} bytes`);
    }
    mkdirSync(dirname(dest), { recursive: true });
    const hash = createHash('sha256');
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (received > maxBytes) {
          callback(new DownloadError('E_DOWNLOAD_TOO_LARGE', `${url} is over the limit of ${maxBytes} bytes`));
          return;
        }
        hash.update(chunk);
        onProgress?.({ url, received, total });
        callback(null, chunk);
      },
    });
    await pipeline(response, meter, createWriteStream(part), { signal: deadline.signal });
    if (total != null && received !== total) throw new DownloadError('E_DOWNLOAD', `received ${received} of ${total} bytes from ${url}`);
    renameSync(part, dest);
    return hash.digest('hex');
  } catch (e) {
    rmSync(part, { force: true });
    if (deadline.signal.aborted) {
      throw new DownloadError('E_DOWNLOAD_TIMEOUT', `${url} did not arrive within ${deadline.seconds} s`,
        'a slow or stalled server; TLX_DOWNLOAD_TIMEOUT_S sets the time a download may take');
    }
    if (e instanceof DownloadError) throw e;
    throw new DownloadError('E_DOWNLOAD', `${(e as Error).message}`);
  }
}

function request(url: string, redirects: number, signal: AbortSignal, checksummed: boolean): Promise<IncomingMessage> {
  const refused = checksummed && url.startsWith('http:') ? undefined : insecureUrl(url);
  if (refused) return Promise.reject(new DownloadError('E_DOWNLOAD_INSECURE', refused));
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { timeout: 30_000, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        const next = URL.canParse(res.headers.location, url) ? new URL(res.headers.location, url).toString() : '';
        if (next === '') reject(new DownloadError('E_DOWNLOAD', `${url} redirects to an invalid URL`));
        else if (redirects === 0) reject(new DownloadError('E_DOWNLOAD', `${url}: more than ${MAX_REDIRECTS} redirects`));
        else if (!checksummed && url.startsWith('https:') && !next.startsWith('https:')) {
          reject(new DownloadError('E_DOWNLOAD_INSECURE', `${url} redirects to ${next}; refused: a redirect must not leave https`));
        } else resolve(request(next, redirects - 1, signal, checksummed));
      } else if (status !== 200) {
        res.resume();
        reject(new DownloadError('E_DOWNLOAD', `HTTP ${status} for ${url}`));
      } else {
        resolve(res);
      }
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in 30 s`)));
    req.on('error', reject);
  });
}

/** A progress line every 10%, for logs; on a terminal the same line is redrawn. */
export function progressPrinter(write: (text: string) => void, tty: boolean): (p: DownloadProgress) => void {
  let shown = -1;
  return ({ url, received, total }) => {
    const percent = total ? Math.floor((received / total) * 100) : -1;
    const step = tty ? percent : Math.floor(percent / 10) * 10;
    if (step === shown && percent !== 100) return;
    shown = step;
    const name = url.split('/').pop();
    const text = total ? `downloading ${name}: ${percent}% of ${(total / 2 ** 20).toFixed(1)} MiB` : `downloading ${name}: ${(received / 2 ** 20).toFixed(1)} MiB`;
    write(tty ? `\r${text}${percent === 100 ? '\n' : ''}` : `${text}\n`);
  };
}
