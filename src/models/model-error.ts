import { FileError } from '../errors.js';

/** A model file that cannot be used: missing, not a LayersModel, weights that do not fit. */
export class ModelError extends FileError {
  override readonly name = 'ModelError';
}
