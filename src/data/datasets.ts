import type { ResolvedData } from '../config/resolved.js';

export type DatasetName = ResolvedData['dataset'];

/** What a config check needs to know of a dataset without loading it. */
export interface DatasetInfo {
  readonly classes: number;
  readonly inputShape: readonly [number, number, number];
  readonly classNames: readonly string[];
}

export const DATASETS = {
  mnist: { classes: 10, inputShape: [28, 28, 1], classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
} as const satisfies Record<DatasetName, DatasetInfo>;
