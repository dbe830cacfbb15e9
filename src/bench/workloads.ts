import type * as tfl from '@tensorflow/tfjs-layers';
import { kerasMnistCnn } from '../models/architectures/keras-mnist-cnn.js';
import { mobilenetV1 } from '../models/architectures/mobilenet-v1.js';
import { mobilenetV2 } from '../models/architectures/mobilenet-v2.js';
import { textCnn } from '../models/architectures/text-cnn.js';

/** What a workload's model takes: images [h, w, c], or sentences of token ids. */
export type WorkloadInput =
  | { readonly kind: 'image'; readonly shape: readonly [number, number, number] }
  | { readonly kind: 'tokens'; readonly length: number; readonly vocabulary: number };

/** A model and batch that `tlx bench` measures, and the PyTorch script mirrors. */
export interface Workload {
  /** Same name as the PyTorch script's --workload. */
  readonly name: 'mnist-cnn' | 'mobilenet' | 'mobilenet-v2' | 'text-cnn';
  readonly title: string;
  readonly input: WorkloadInput;
  readonly classes: number;
  readonly batch: number;
  build(): tfl.LayersModel;
}

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'mnist-cnn',
    title: 'Keras MNIST CNN 28x28x1',
    input: { kind: 'image', shape: [28, 28, 1] },
    classes: 10,
    batch: 128,
    build: () => kerasMnistCnn({ classes: 10 }),
  },
  {
    name: 'mobilenet',
    title: 'MobileNet v1 a=0.25 96x96x3',
    input: { kind: 'image', shape: [96, 96, 3] },
    classes: 10,
    batch: 32,
    build: () => mobilenetV1({ alpha: 0.25, size: 96, classes: 10 }),
  },
  {
    // A real trunk at the size published weights have: torchvision's mobilenet_v2 on the PyTorch side.
    name: 'mobilenet-v2',
    title: 'MobileNetV2 a=1.0 224x224x3',
    input: { kind: 'image', shape: [224, 224, 3] },
    classes: 10,
    // Every layer trains: at 16 one step would not fit the wasm memory.
    batch: 8,
    build: () => mobilenetV2({ alpha: 1, size: 224, classes: 10 }),
  },
  {
    // Kim (2014)'s sentence CNN at his size: word2vec's 300-d vectors, batch 50,
    // sentences up to 50 tokens, a 20,000-word vocabulary; the embedding trains too
    // (his "non-static"), so each step's gradient and Adam update cover the whole table.
    name: 'text-cnn',
    title: 'Kim CNN 50 tokens, 20k x 300 embedding',
    input: { kind: 'tokens', length: 50, vocabulary: 20_000 },
    classes: 10,
    batch: 50,
    build: () => textCnn({ vocabulary: 20_000, maxLength: 50, dim: 300, classes: 10 }),
  },
];
