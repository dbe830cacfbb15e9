import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, globalAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { download, downloadDeadline, DownloadError, insecureUrl } from '../../src/data/download.js';
import { UsageError } from '../../src/errors.js';
import { LOOPBACK_CERT, LOOPBACK_KEY } from '../support/loopback-tls.js';
import { thrown } from '../support/thrown.js';

// Downloads from servers on 127.0.0.1: plain http and https (a self-signed
// certificate this process trusts), redirecting, trickling, or saying nothing.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const routes: Record<string, Handler> = {};
const handle: Handler = (req, res) => (routes[req.url ?? ''] ?? ((_, r) => r.writeHead(404).end()))(req, res);
const http = createHttpServer(handle);
const https = createHttpsServer({ key: LOOPBACK_KEY, cert: LOOPBACK_CERT }, handle);
const port = (server: Server) => (server.address() as { port: number }).port;
const httpUrl = (path: string) => `http://127.0.0.1:${port(http)}${path}`;
const httpsUrl = (path: string) => `https://127.0.0.1:${port(https)}${path}`;
const dir = mkdtempSync(join(tmpdir(), 'tlx-download-'));

/** A byte every 50 ms, never finishing, until the client goes. */
const trickle: Handler = (_, res) => {
  res.writeHead(200, { 'content-length': '500' });
  const timer = setInterval(() => res.write('x'), 50);
  res.on('close', () => clearInterval(timer));
};

beforeAll(async () => {
  globalAgent.options.ca = LOOPBACK_CERT;
  routes['/file'] = (_, res) => res.end('content');
  routes['/to-http'] = (_, res) => res.writeHead(302, { location: httpUrl('/file') }).end();
  routes['/to-https'] = (_, res) => res.writeHead(302, { location: httpsUrl('/file') }).end();
  routes['/to-elsewhere'] = (_, res) => res.writeHead(301, { location: 'http://example.org/file' }).end();
  routes['/loop'] = (_, res) => res.writeHead(302, { location: '/loop' }).end();
  routes['/trickle'] = trickle;
  routes['/silent'] = () => {}; // answers nothing, holds the connection
  routes['/big'] = (_, res) => res.end(Buffer.alloc(5000));
  await Promise.all([http, https].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
});

afterAll(async () => {
  for (const s of [http, https]) s.closeAllConnections();
  await Promise.all([http, https].map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('download', () => {
  it('fetches over https, and over http from this machine, following a redirect to https', async () => {
    for (const [name, url] of [['a', httpsUrl('/file')], ['b', httpUrl('/file')], ['c', httpUrl('/to-https')]] as const) {
      await download(url, join(dir, name));
      expect(readFileSync(join(dir, name), 'utf8')).toBe('content');
    }
  });

  it('a checksummed download (a dataset) may come over plain http, through a redirect off https too', async () => {
    await download(httpsUrl('/to-http'), join(dir, 'd'), undefined, { checksummed: true });
    expect(readFileSync(join(dir, 'd'), 'utf8')).toBe('content');
  });

  it.each([
    ['plain http to another host', () => 'http://example.org/model.json', 'E_DOWNLOAD_INSECURE', /https is required: tlx does not download from http:\/\/ URLs/],
    ['another scheme', () => 'ftp://127.0.0.1/model.json', 'E_DOWNLOAD_INSECURE', /https is required: tlx does not download from ftp:\/\/ URLs/],
    ['a redirect from https to http', () => httpsUrl('/to-http'), 'E_DOWNLOAD_INSECURE', /redirects to http:\/\/127\.0\.0\.1:\d+\/file; refused: a redirect must not leave https/],
    ['a redirect to plain http elsewhere', () => httpUrl('/to-elsewhere'), 'E_DOWNLOAD_INSECURE', /https is required/],
    ['endless redirects', () => httpUrl('/loop'), 'E_DOWNLOAD', /more than 5 redirects/],
    ['a server that trickles a byte at a time', () => httpUrl('/trickle'), 'E_DOWNLOAD_TIMEOUT', /did not arrive within 0\.5 s/],
    ['a server that says nothing', () => httpUrl('/silent'), 'E_DOWNLOAD_TIMEOUT', /did not arrive within 0\.5 s/],
    ['a file over the size limit', () => httpUrl('/big'), 'E_DOWNLOAD_TOO_LARGE', /is 5000 bytes, over the limit of 1000 bytes/],
    ['no server', () => 'http://127.0.0.1:9/file', 'E_DOWNLOAD', /ECONNREFUSED/],
  ])('%s: a coded DownloadError, nothing written', async (name, url, code, message) => {
    const dest = join(dir, 'refused', name.replaceAll(' ', '-'));
    // A short deadline only where the server never finishes; elsewhere it must not race.
    const deadline = downloadDeadline({ TLX_DOWNLOAD_TIMEOUT_S: code === 'E_DOWNLOAD_TIMEOUT' ? '0.5' : '600' });
    const error = await download(url(), dest, undefined, { maxBytes: 1000, deadline }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect((error as Error).message).toMatch(message);
    expect(existsSync(join(dir, 'refused')) ? readdirSync(join(dir, 'refused')) : []).toEqual([]);
  });

  it.each([
    ['https://host/model.json', undefined],
    ['http://127.0.0.1:8080/m.json', undefined],
    ['http://localhost/m.json', undefined],
    ['http://[::1]:3000/m.json', undefined],
    ['http://127.0.0.1.example.org/m.json', /https is required/],
    ['http://10.0.0.1/m.json', /https is required/],
    ['file:///etc/passwd', /https is required: tlx does not download from file:\/\//],
    ['not a url', /is not a URL/],
  ])('insecureUrl(%s)', (url, problem) => {
    const found = insecureUrl(url);
    if (problem) expect(found).toMatch(problem);
    else expect(found).toBeUndefined();
  });

  it('TLX_DOWNLOAD_TIMEOUT_S must be a positive number', () => {
    expect(downloadDeadline({}).seconds).toBe(1800);
    expect(downloadDeadline({ TLX_DOWNLOAD_TIMEOUT_S: '90' }).seconds).toBe(90);
    for (const bad of ['0', '-1', 'soon', 'Infinity']) {
      const error = thrown(() => downloadDeadline({ TLX_DOWNLOAD_TIMEOUT_S: bad }));
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toBe(`TLX_DOWNLOAD_TIMEOUT_S must be a positive number of seconds (got '${bad}')`);
    }
  });
});
