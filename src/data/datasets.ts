import type { ResolvedData } from '../config/resolved.js';

export type DatasetName = ResolvedData['dataset'];

/** What config checks know of a dataset before loading it; idx files tell at load time. */
export interface DatasetInfo {
  readonly classes?: number;
  readonly classNames?: readonly string[];
}

export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  mnist: { classes: 10, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  'fashion-mnist': {
    classes: 10,
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
  idx: {},
};
