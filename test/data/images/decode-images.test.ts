import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedData } from '../../../src/config/resolved.js';
import { decodeImage, type FileFormat } from '../../../src/data/images/decode-images.js';

// Image files as people have them, written by the test with sharp: transparency,
// EXIF orientation, gray, palette, 16-bit and CMYK. Each is decoded at its own
// size (no resampling), so the expected pixels are computed here exactly, or
// within a stated tolerance where a format is lossy (JPEG) or goes through a
// colour profile (CMYK).
const dir = mkdtempSync(join(tmpdir(), 'tlx-decode-'));
const file = (name: string) => join(dir, name);
type Rgb = readonly [number, number, number];

const format = (height: number, width: number, background: ResolvedData['background'], channels: 1 | 3 = 3): FileFormat =>
  ({ size: [height, width], channels, resize: 'bilinear', background });
const decode = async (name: string, f: FileFormat) => Array.from(await decodeImage(file(name), f));
const rgbOf = (pixels: readonly number[]) => Array.from({ length: pixels.length / 3 }, (_, i) => pixels.slice(3 * i, 3 * i + 3));

// Four RGBA pixels in a row: opaque red, transparent (green stored under it), half-transparent red, opaque blue.
const RGBA = [200, 10, 10, 255, 0, 200, 0, 0, 200, 10, 10, 128, 10, 10, 200, 255];
const OPAQUE = [200, 10, 10, 255, 30, 200, 90, 255, 1, 2, 3, 255, 250, 128, 7, 255];
const raw = (pixels: number[], channels: 1 | 3 | 4, width = pixels.length / channels) =>
  sharp(Buffer.from(pixels), { raw: { width, height: pixels.length / channels / width, channels } });
/** The colour sharp flattens a pixel of alpha `a` onto `bg` to (it truncates). */
const over = (fg: Rgb, a: number, bg: Rgb) => fg.map((v, i) => Math.floor((v * a + bg[i]! * (255 - a)) / 255));

beforeAll(async () => {
  await raw(RGBA, 4).png().toFile(file('alpha.png'));
  await raw(RGBA, 4).toColourspace('rgb16').png().toFile(file('alpha16.png'));
  await raw(RGBA, 4).png({ palette: true }).toFile(file('alpha-palette.png'));
  await raw(OPAQUE, 4).png().toFile(file('opaque-rgba.png'));
  await raw(OPAQUE.filter((_, i) => i % 4 !== 3), 3).png().toFile(file('opaque-rgb.png'));
});

describe('transparent pixels are flattened onto the background', () => {
  const [red, green, blue] = [[200, 10, 10], [0, 200, 0], [10, 10, 200]] as const;
  it.each([
    { background: 'white', bg: [255, 255, 255] },
    { background: 'black', bg: [0, 0, 0] },
    { background: '#336699', bg: [0x33, 0x66, 0x99] },
  ] as const)('$background', async ({ background, bg }) => {
    for (const name of ['alpha.png', 'alpha16.png', 'alpha-palette.png']) {
      const [opaque, clear, half, last] = rgbOf(await decode(name, format(1, 4, background)));
      expect(opaque, name).toEqual(red);
      expect(clear, name).toEqual(bg);
      // Half transparent: within one level of the exact mix (8 bits, or a palette's quantized alpha).
      over(red, 128, bg).forEach((v, i) => expect(Math.abs(half![i]! - v), `${name} ${half}`).toBeLessThanOrEqual(name.includes('palette') ? 3 : 1));
      expect(last, name).toEqual(blue);
    }
  });

  it('none: the alpha channel dropped, the colour stored under it shows (as Keras does)', async () => {
    expect(rgbOf(await decode('alpha.png', format(1, 4, 'none')))).toEqual([red, green, red, blue]);
  });

  it('gray: a transparent pixel is the background\'s gray', async () => {
    const [, white] = await decode('alpha.png', format(1, 4, 'white', 1));
    const [, black] = await decode('alpha.png', format(1, 4, 'black', 1));
    expect([white, black]).toEqual([255, 0]);
  });

  it('opaque images decode the same whatever the background, with an alpha channel or without, resized or not', async () => {
    for (const size of [[1, 4], [3, 5]] as const) {
      for (const channels of [1, 3] as const) {
        const reference = await decode('opaque-rgb.png', format(size[0], size[1], 'none', channels));
        for (const background of ['white', 'black', '#808080', 'none'] as const) {
          expect(await decode('opaque-rgba.png', format(size[0], size[1], background, channels)), `${background} ${size}`).toEqual(reference);
          expect(await decode('opaque-rgb.png', format(size[0], size[1], background, channels))).toEqual(reference);
        }
      }
    }
    expect(await decode('opaque-rgb.png', format(1, 4, 'white'))).toEqual(OPAQUE.filter((_, i) => i % 4 !== 3));
  });
});

describe('EXIF orientation is honoured: pixels as a photo viewer shows them', () => {
  // Stored 24x16, six 8x8 blocks of distinct colours (JPEG keeps solid aligned blocks nearly exact).
  const [W, H] = [24, 16];
  const COLOURS: Rgb[] = [[220, 30, 30], [30, 200, 40], [40, 50, 210], [240, 240, 240], [20, 20, 20], [230, 200, 30]];
  const stored = (x: number, y: number) => COLOURS[Math.floor(y / 8) * 3 + Math.floor(x / 8)]!;
  // Where displayed pixel (X, Y) comes from in the stored image, per EXIF orientation (TIFF 6.0 / Exif 2.3).
  const SOURCE: Record<number, (X: number, Y: number) => [number, number]> = {
    1: (X, Y) => [X, Y],
    2: (X, Y) => [W - 1 - X, Y],
    3: (X, Y) => [W - 1 - X, H - 1 - Y],
    4: (X, Y) => [X, H - 1 - Y],
    5: (X, Y) => [Y, X],
    6: (X, Y) => [Y, H - 1 - X],
    7: (X, Y) => [W - 1 - Y, H - 1 - X],
    8: (X, Y) => [W - 1 - Y, X],
  };

  beforeAll(async () => {
    const pixels = Array.from({ length: W * H }, (_, i) => stored(i % W, Math.floor(i / W))).flat();
    await Promise.all(Object.keys(SOURCE).map((o) =>
      raw(pixels, 3, W).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).withMetadata({ orientation: Number(o) }).toFile(file(`turned-${o}.jpg`))));
  });

  it.each(Object.keys(SOURCE).map(Number))('orientation %i', async (orientation) => {
    expect((await sharp(file(`turned-${orientation}.jpg`)).metadata()).orientation).toBe(orientation);
    const [w, h] = orientation >= 5 ? [H, W] : [W, H];
    const pixels = rgbOf(await decode(`turned-${orientation}.jpg`, format(h, w, 'white')));
    let worst = 0;
    pixels.forEach((p, i) => {
      const expected = stored(...SOURCE[orientation]!(i % w, Math.floor(i / w)));
      worst = Math.max(worst, ...p.map((v, c) => Math.abs(v - expected[c]!)));
    });
    expect(worst).toBeLessThanOrEqual(12);
  });
});

describe('gray, palette, 16-bit and CMYK files become 8-bit RGB or gray', () => {
  const GRAY = [0, 50, 100, 150, 200, 250, 255, 128];
  const RGB = [0, 255, 77, 30, 225, 77, 60, 195, 77, 90, 165, 77, 120, 135, 77, 150, 105, 77, 180, 75, 77, 210, 45, 77];

  beforeAll(async () => {
    await raw(GRAY, 1, 4).toColourspace('b-w').png().toFile(file('gray.png'));
    await raw(GRAY, 1, 4).toColourspace('grey16').png().toFile(file('gray16.png'));
    await raw(RGB, 3, 4).toColourspace('rgb16').png().toFile(file('rgb16.png'));
    await raw(RGB, 3, 4).png({ palette: true, colours: 8, dither: 0 }).toFile(file('palette.png'));
  });

  it.each([
    { name: 'gray.png', space: 'b-w', depth: 'uchar', rgb: GRAY.flatMap((v) => [v, v, v]) },
    { name: 'gray16.png', space: 'grey16', depth: 'ushort', rgb: GRAY.flatMap((v) => [v, v, v]) },
    { name: 'rgb16.png', space: 'rgb16', depth: 'ushort', rgb: RGB },
    { name: 'palette.png', space: 'srgb', depth: 'uchar', rgb: RGB },
  ])('$name ($space, $depth)', async ({ name, space, depth, rgb }) => {
    const meta = await sharp(file(name)).metadata();
    expect([meta.space, meta.depth]).toEqual([space, depth]);
    if (name === 'palette.png') expect(meta.isPalette).toBe(true);
    expect(await decode(name, format(2, 4, 'white'))).toEqual(rgb);
    const gray = await decode(name, format(2, 4, 'white', 1));
    expect(gray.length).toBe(8);
    if (name.startsWith('gray')) expect(gray).toEqual(GRAY);
  });

  it('a 16-bit image decodes to the same 8-bit gray as its 8-bit twin (within one level)', async () => {
    const [deep, flat] = [await decode('rgb16.png', format(2, 4, 'white', 1)), await decode('palette.png', format(2, 4, 'white', 1))];
    deep.forEach((v, i) => expect(Math.abs(v - flat[i]!)).toBeLessThanOrEqual(1));
  });

  // CMYK goes through colour profiles both ways, so colours come back near, not equal;
  // the hazards are a K channel read as alpha or inverted (Adobe) CMYK, which these catch.
  it.each([
    { name: 'white', rgb: [255, 255, 255] },
    { name: 'black', rgb: [0, 0, 0] },
    { name: 'gray', rgb: [128, 128, 128] },
    { name: 'red', rgb: [220, 30, 30] },
    { name: 'green', rgb: [30, 160, 60] },
  ] as const)('CMYK JPEG: $name', async ({ name, rgb }) => {
    const out = `cmyk-${name}.jpg`;
    await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } })
      .toColourspace('cmyk').jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toFile(file(out));
    const meta = await sharp(file(out)).metadata();
    expect([meta.space, meta.channels]).toEqual(['cmyk', 4]);
    for (const background of ['white', 'black'] as const) {
      const pixels = rgbOf(await decode(out, format(16, 16, background)));
      for (const p of [pixels[0]!, pixels[135]!]) p.forEach((v, c) => expect(Math.abs(v - rgb[c]!), `${background}: ${p}`).toBeLessThanOrEqual(32));
    }
  });
});
