import type { FineTune } from '../config/resolved.js';
import type { Resolved } from './surgery.js';

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

/**
 * The groups phase 2 unfreezes (`layers`: those it unfreezes, in model order), one
 * per stage from the top: all at once, or for gradual unfreezing `layersPerStage`
 * weighted layers each, with enough epochs for every stage to train its
 * `epochsPerStage`. validate checks it where the source's layers are known.
 */
export function unfreezeStages(layers: readonly GroupedLayer[], fineTune: FineTune): Resolved<string[][]> {
  const gradual = fineTune.gradual;
  if (gradual == null) return { ok: true, value: [layers.map((l) => l.name)] };
  const stages = layerGroups(layers, gradual.layersPerStage);
  const needed = stages.length * gradual.epochsPerStage;
  if (fineTune.epochs >= needed) return { ok: true, value: stages };
  const weighted = layers.filter((l) => l.weighted).length;
  return {
    ok: false,
    problem: {
      message: `gradual unfreezing of ${layers.length} layers takes ${stages.length} stages of ${gradual.epochsPerStage} epoch${gradual.epochsPerStage === 1 ? '' : 's'}, ` +
        `${needed} epochs, but transfer.fineTune.epochs is ${fineTune.epochs}`,
      hint: `set transfer.fineTune.epochs to ${needed} or more, or unfreeze more layers per stage (gradual.layersPerStage: ${Math.ceil(weighted * gradual.epochsPerStage / fineTune.epochs)})`,
    },
  };
}
