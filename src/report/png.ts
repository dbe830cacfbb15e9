import sharp from 'sharp';

/** A chart's SVG as PNG at twice its size (sharp renders SVG with librsvg). */
export async function svgToPng(svg: string, file: string): Promise<void> {
  await sharp(Buffer.from(svg), { density: 144 }).png().toFile(file);
}
