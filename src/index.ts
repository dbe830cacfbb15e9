// The public API of tlx as a library: what the CLI does, as functions.
export { loadExperiment, type LoadedExperiment } from './config/load.js';
export type { Experiment } from './config/experiment.generated.js';
export type { ResolvedExperiment } from './config/resolved.js';
export { planTrials, type Trial } from './plan/trials.js';
export { planTasks } from './plan/tasks.js';
export { runExperiment, type RunObserver, type RunOptions, type RunOutcome } from './execute/run-experiment.js';
export { chooseBackend, initBackend, type BackendInfo } from './engine/init-backend.js';
export { registerTrainingKernels } from './engine/kernels/register.js';
export { ARCHITECTURES } from './models/architectures/index.js';
export { loadModel, readModelArtifacts } from './models/model-files.js';
export { exportModel } from './models/export-model.js';
export { predictImages, type Prediction } from './models/predict-images.js';
export { loadData, type DataContext } from './data/load-data.js';
export { summarize, type PointSummary } from './results/summary.js';
export type { TrialRecord } from './results/trial-record.js';
export { runBench, type BenchReport } from './bench/run-bench.js';
export { ConfigError, DataError, InternalError, TlxError, TrialError, UsageError, type ConfigIssue } from './errors.js';
export { ModelError } from './models/model-files.js';
