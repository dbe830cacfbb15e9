import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface DownloadProgress {
  readonly url: string;
  readonly received: number;
  readonly total: number | null;
}

/**
 * Downloads a URL (http or https, following redirects) to `dest` through a temp
 * file, renamed only when complete, so an interrupted download leaves nothing that
 * looks finished. Resolves with the sha256 of the bytes received.
 */
export async function download(url: string, dest: string, onProgress?: (p: DownloadProgress) => void, maxBytes = Infinity): Promise<string> {
  const response = await request(url, 5);
  const total = Number(response.headers['content-length']) || null;
  if (total != null && total > maxBytes) {
    response.resume();
    throw new Error(`${url} is ${total} bytes, over the limit of ${maxBytes} bytes`);
  }
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.${process.pid}.part`;
  const hash = createHash('sha256');
  let received = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) {
        callback(new Error(`${url} is over the limit of ${maxBytes} bytes`));
        return;
      }
      hash.update(chunk);
      onProgress?.({ url, received, total });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response, meter, createWriteStream(part));
    if (total != null && received !== total) throw new Error(`received ${received} of ${total} bytes`);
    renameSync(part, dest);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
  return hash.digest('hex');
}

function request(url: string, redirects: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? httpsGet : httpGet;
    const req = get(url, { timeout: 30_000 }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects > 0) {
        res.resume();
        resolve(request(new URL(res.headers.location, url).toString(), redirects - 1));
      } else if (status !== 200) {
        res.resume();
        reject(new Error(`HTTP ${status} for ${url}`));
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
