import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * A folder of `count` distinct JPEGs in `classes` class folders (a colour per
 * class under Gaussian noise, so the classes are learnable), made once and reused
 * while its count is right.
 */
export async function generatedFolder(dir: string, count: number, classes: number, size: number): Promise<string> {
  const have = existsSync(dir) ? readdirSync(dir).reduce((n, c) => n + readdirSync(join(dir, c)).length, 0) : 0;
  if (have === count) return dir;
  for (let c = 0; c < classes; c++) mkdirSync(join(dir, `class-${c}`), { recursive: true });
  for (let start = 0; start < count; start += 64) {
    await Promise.all(Array.from({ length: Math.min(64, count - start) }, async (_, k) => {
      const i = start + k;
      const c = i % classes;
      const colour = [Math.round((255 * c) / classes), 255 - Math.round((255 * c) / classes), (97 * c) % 256];
      // The class colour under uniform noise of +-64, seeded by the image's number.
      let state = i + 1;
      const pixels = Buffer.alloc(size * size * 3);
      for (let p = 0; p < pixels.length; p++) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        pixels[p] = Math.max(0, Math.min(255, colour[p % 3]! + (state % 129) - 64));
      }
      await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 85 }).toFile(join(dir, `class-${c}`, `${i}.jpg`));
    }));
  }
  return dir;
}
