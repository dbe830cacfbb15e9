/**
 * The version of tlx's optimizer implementations, in every task key and run id:
 * results computed by another implementation (1: tfjs-core 4.22's, whose Adadelta
 * is wrong) are never reused. Raise it when an update rule's arithmetic changes.
 */
export const OPTIMIZERS_VERSION = 2;
