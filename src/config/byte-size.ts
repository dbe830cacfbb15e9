const UNITS = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40 } as const;

/** Bytes in a size such as "512MiB" (the schema's pattern has already checked it). */
export function byteSize(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(KiB|MiB|GiB|TiB)$/.exec(text.trim());
  if (match == null) throw new RangeError(`not a size: '${text}' (expected a number and KiB, MiB, GiB or TiB)`);
  return Math.round(Number(match[1]) * UNITS[match[2] as keyof typeof UNITS]);
}
