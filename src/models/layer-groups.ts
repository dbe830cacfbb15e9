/** A layer as grouping sees it: its name and whether it has weights. */
export interface GroupedLayer {
  readonly name: string;
  readonly weighted: boolean;
}

/**
 * Layers in groups from the top down (the last layer first), `perGroup` layers with
 * weights each: the groups of discriminative learning rates (depth 1 is the first
 * group) and of gradual unfreezing (stage 1 unfreezes the first). A layer without
 * weights joins the group above it, so a group unfrozen makes a contiguous top
 * trainable; weightless layers above every weighted one join the first group.
 */
export function layerGroups(layers: readonly GroupedLayer[], perGroup: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let weighted = 0;
  for (const layer of [...layers].reverse()) {
    if (layer.weighted && weighted === perGroup) {
      groups.push(current);
      current = [];
      weighted = 0;
    }
    current.push(layer.name);
    if (layer.weighted) weighted += 1;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The layers of a model, by name, as grouping sees them. */
export function groupedLayers(model: { getLayer(name: string): { weights: readonly unknown[] } }, names: readonly string[]): GroupedLayer[] {
  return names.map((name) => ({ name, weighted: model.getLayer(name).weights.length > 0 }));
}
