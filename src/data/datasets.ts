import type { ResolvedData } from '../config/resolved.js';

export type DatasetName = ResolvedData['dataset'];

/** What config checks know of a dataset before reading it; files tell the rest. */
export interface DatasetInfo {
  readonly classes?: number;
  readonly classNames?: readonly string[];
  /** Where `path` (or `images`/`labels`) is required or allowed. */
  readonly files: { readonly path?: 'required' | 'optional'; readonly images?: 'required'; readonly labels?: 'required' };
}

export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  mnist: { classes: 10, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], files: {} },
  'fashion-mnist': {
    classes: 10,
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    files: { path: 'optional' },
  },
  idx: { files: { images: 'required', labels: 'required' } },
  imagefolder: { files: { path: 'required' } },
  csv: { files: { path: 'required' } },
  tsv: { files: { path: 'required' } },
  jsonl: { files: { path: 'required' } },
  'uci-sentences': { classes: 2, classNames: ['negative', 'positive'], files: {} },
  'spam-assassin': { classes: 2, classNames: ['ham', 'spam'], files: {} },
};

/** What a data block's examples are: images, or texts (a csv is a table of texts when it names its `text` column). */
export function dataModality(spec: Pick<ResolvedData, 'dataset' | 'text'>): 'image' | 'text' {
  switch (spec.dataset) {
    case 'tsv': case 'jsonl': case 'uci-sentences': case 'spam-assassin': return 'text';
    case 'csv': return spec.text != null ? 'text' : 'image';
    default: return 'image';
  }
}
