import type { Data, Distribution, Experiment, HeadLayer, Optimizer, OptimizerSettings, Schedule, Search, Source } from './experiment.generated.js';

export type Freeze = NonNullable<NonNullable<Experiment['transfer']>['freeze']>;
export type Train = NonNullable<Experiment['train']>;

// The experiment after defaults: the schema's `default`s filled in (normalize.ts),
// so these fields are present. Derived from the generated types, not a second copy.
type Filled<T, K extends keyof T> = Omit<T, K> & { readonly [P in K]-?: Exclude<T[P], undefined> };

export type ResolvedData = Filled<Data, 'validation' | 'test' | 'resize' | 'skipUnreadable' | 'background'>;
export type ResolvedTrain = Omit<Filled<Train, 'epochs' | 'batchSize' | 'learningRate' | 'validateEvery' | 'labelSmoothing'>, 'optimizer' | 'schedule'> & {
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: ResolvedSchedule;
};
/** A length of training: optimizer steps or epochs (validateEvery, a schedule's periods). */
export type Duration = NonNullable<Train['validateEvery']>;
export type ClassWeights = NonNullable<Train['classWeights']>;
// Each member of a union with the fields K it has filled in.
type FilledEach<T, K extends PropertyKey> = T extends unknown ? Filled<T, Extract<K, keyof T>> : never;
/** A learning-rate schedule with every parameter that has a default present (schedule-settings.ts fills them). */
export type ResolvedSchedule = FilledEach<Schedule, 'gamma' | 'every' | 'warmupStart' | 'minLearningRate' | 'pctStart' | 'divFactor' | 'finalDivFactor'>;

/** An optimizer as the file may write it: a name, or a name with parameters. */
export type WrittenOptimizer = Optimizer;
export type OptimizerName = OptimizerSettings['name'];
// Each member of a union with every field present.
type Complete<T> = T extends unknown ? { readonly [K in keyof T]-?: Exclude<T[K], undefined> } : never;
/** An optimizer with every parameter present (optimizer-settings.ts fills the schema's defaults in). */
export type ResolvedOptimizer = Complete<OptimizerSettings>;
export type InputScale = NonNullable<NonNullable<Source['input']>['scale']>;
export type Augment = NonNullable<Train['augment']>;
type Transfer = NonNullable<Experiment['transfer']>;
type WrittenFineTune = NonNullable<Transfer['fineTune']>;
export type Gradual = Filled<NonNullable<WrittenFineTune['gradual']>, 'epochsPerStage' | 'layersPerStage'>;
export type FineTune = Omit<WrittenFineTune, 'gradual'> & { readonly gradual?: Gradual };
export type Discriminative = Filled<NonNullable<Transfer['discriminative']>, 'layersPerGroup'>;
export type L2sp = Filled<NonNullable<Transfer['l2sp']>, 'alpha' | 'beta'>;
type WrittenText = NonNullable<NonNullable<Source['input']>['text']>;
/** How texts become token ids, every setting present. */
export type TextSettings = Filled<WrittenText, keyof WrittenText>;
export type Embeddings = Filled<NonNullable<Source['embeddings']>, 'maxDownloadMB'>;
export type ResolvedSource = Omit<Source, 'pretrain' | 'input' | 'embeddings'> & {
  readonly embeddings?: Embeddings;
  /** `text` is present where texts are read (normalize.ts leaves it out elsewhere). */
  readonly input: { readonly scale: InputScale; readonly text?: TextSettings };
  readonly pretrain?: Omit<NonNullable<Source['pretrain']>, 'data' | 'train' | 'embeddings'> & {
    readonly embeddings?: Embeddings;
    readonly data: ResolvedData;
    readonly train: ResolvedTrain;
  };
};
type Indicators = NonNullable<Experiment['indicators']>;
export type TimeToTargetGoal = NonNullable<NonNullable<Indicators['timeToTarget']>['target']>;
export type ProbeKind = NonNullable<NonNullable<Indicators['transferOnly']>['probe']>;
export type Metric = NonNullable<Experiment['metrics']>[number];

/** A search block with its defaults: strategy, seed (the experiment's), ASHA's and TPE's settings. */
export type ResolvedSearch = Omit<Filled<Search, 'strategy' | 'seed'>, 'asha' | 'tpe'> & {
  readonly asha: Filled<NonNullable<Search['asha']>, 'minEpochs' | 'reduction'>;
  readonly tpe: Filled<NonNullable<Search['tpe']>, 'startup' | 'candidates'>;
};
export type SearchStrategy = ResolvedSearch['strategy'];
export type { Distribution };

export interface ResolvedExperiment {
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  readonly repeats: number;
  readonly source: ResolvedSource;
  readonly target: { readonly data: ResolvedData };
  readonly transfer: {
    readonly freeze: Freeze;
    readonly head: readonly HeadLayer[];
    readonly fineTune?: FineTune;
    readonly discriminative?: Discriminative;
    readonly l2sp?: L2sp;
  };
  readonly train: ResolvedTrain;
  readonly grid: Readonly<Record<string, readonly unknown[]>>;
  readonly search?: ResolvedSearch;
  readonly metrics: readonly Metric[];
  readonly indicators: {
    readonly transferOnly: { readonly probe: ProbeKind; readonly k: number };
    readonly timeToTarget: { readonly target: TimeToTargetGoal };
    readonly scratch: boolean;
  };
  readonly export: 'best' | 'all' | 'none';
  readonly run: {
    readonly concurrency: 'auto' | number;
    readonly backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
    /** A size such as 1GiB; see byteSize. */
    readonly cacheBudget: string;
  };
}

export type { Data, Experiment, HeadLayer };
