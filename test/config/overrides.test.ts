import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'tlx-overrides-'));
const FILE = join(dir, 'base.yaml');
writeFileSync(FILE, `name: base
repeats: 2
source:
  pretrain:
    architecture: keras-mnist-cnn
    data: { dataset: mnist, classes: [0, 1, 2, 3, 4] }
  cut: flatten
target:
  data: { dataset: mnist, classes: [5, 6, 7, 8, 9], perClass: 50 }
transfer:
  freeze: all
  head:
    - dense: { units: 32 }
    - dropout: { rate: 0.5 }
train: { epochs: 4, earlyStopping: { patience: 2 } }
grid:
  train.learningRate: [0.001, 0.01]
`);

const load = (...sets: string[]) => loadExperiment(FILE, dir, { overrides: sets });

/** Each row: overrides, and what the resolved experiment then holds. */
const GOOD: { sets: string[]; check: (e: ReturnType<typeof load>['experiment']) => unknown; expected: unknown }[] = [
  { sets: ['train.epochs=1'], check: (e) => e.train.epochs, expected: 1 },
  { sets: ['train.learningRate=1e-4'], check: (e) => e.train.learningRate, expected: 0.0001 },
  { sets: ['target.data.classes=[5,6]'], check: (e) => e.target.data.classes, expected: [5, 6] },
  { sets: ['target.data.classes[1]=0'], check: (e) => e.target.data.classes, expected: [5, 0, 7, 8, 9] },
  { sets: ['source.cut=3'], check: (e) => e.source.cut, expected: 3 },
  { sets: ['transfer.freeze={ upTo: conv2 }'], check: (e) => e.transfer.freeze, expected: { upTo: 'conv2' } },
  { sets: ['transfer.head.0.dense.units=8', 'transfer.head[1]=null'], check: (e) => e.transfer.head, expected: [{ dense: { units: 8, activation: 'relu' } }] },
  { sets: ['transfer.head.2={ dense: { units: 4 } }'], check: (e) => e.transfer.head.length, expected: 3 },
  { sets: ['grid.transfer.freeze=[all, 1]'], check: (e) => e.grid, expected: { 'train.learningRate': [0.001, 0.01], 'transfer.freeze': ['all', 1] } },
  { sets: ['grid.train.learningRate=null'], check: (e) => e.grid, expected: {} },
  { sets: ['grid={}'], check: (e) => e.grid, expected: {} },
  { sets: ['train.earlyStopping=null'], check: (e) => e.train.earlyStopping, expected: undefined },
  { sets: ['repeats=null'], check: (e) => e.repeats, expected: 1 },
  { sets: ['train.epochs=2', 'train.epochs=3'], check: (e) => e.train.epochs, expected: 3 },
  { sets: ['description=digits 5-9'], check: (e) => e.description, expected: 'digits 5-9' },
  { sets: ['indicators.timeToTarget.target={ value: 0.9 }'], check: (e) => e.indicators.timeToTarget.target, expected: { value: 0.9 } },
  { sets: ['train.augment.flip=true'], check: (e) => e.train.augment, expected: { flip: true, shift: 0 } },
];

describe('--set overrides that apply', () => {
  it.each(GOOD)('$sets', ({ sets, check, expected }) => {
    const loaded = load(...sets);
    expect(check(loaded.experiment)).toEqual(expected);
    expect(loaded.overrides).toEqual(sets);
  });

  it('change the run id, which is the hash of the resolved experiment', () => {
    const plain = load();
    expect(load('train.epochs=4').hash).toBe(plain.hash); // the value the file has
    expect(load('train.epochs=1').hash).not.toBe(plain.hash);
    // The sweep is not in the run id: a trial is its own point, so a changed grid continues the run and reuses its trials.
    expect(load('grid.train.learningRate=[0.001]').hash).toBe(plain.hash);
  });
});

/** Each row: a bad override, and the problem reported at it (never at a line of the file). */
const BAD: { set: string; path: string; message: RegExp; hint?: RegExp }[] = [
  { set: 'train.epochs=abc', path: 'train.epochs', message: /^expected an integer \(got 'abc'\)$/ },
  { set: 'train.epochs=0', path: 'train.epochs', message: /must be >= 1 \(got 0\)/ },
  { set: 'train.optimizer=adamx', path: 'train.optimizer', message: /expected one of 'adam', 'adamw', 'sgd'/, hint: /did you mean 'adam'\?/ },
  { set: 'trian.epochs=1', path: 'trian.epochs', message: /unknown field 'trian' \(not a field of the file\)/, hint: /did you mean 'train'\?/ },
  { set: 'train.epoch=1', path: 'train.epoch', message: /unknown field 'epoch' \(not a field of train\)/, hint: /did you mean 'epochs'\?/ },
  { set: 'description=digits: 5-9', path: 'description', message: /expected a string \(got \{"digits":"5-9"\}\)/ },
  { set: 'train.epochs', path: '', message: /expected PATH=VALUE, like train.epochs=1 \(got 'train.epochs'\)/ },
  { set: '=3', path: '', message: /expected PATH=VALUE/ },
  { set: 'target.data.classes=[5, 6', path: 'target.data.classes', message: /the value is not YAML/, hint: /quote the whole option/ },
  { set: 'target.data.classes=[5, 12]', path: 'target.data.classes[1]', message: /class 12 is out of range: mnist has classes 0-9/ },
  { set: 'transfer.head.5.dense.units=3', path: 'transfer.head[5].dense.units', message: /there is no item 5: transfer.head has 2/ },
  { set: 'source.cut=flaten', path: 'source.cut', message: /unknown layer 'flaten'/, hint: /did you mean 'flatten'\?/ },
  { set: 'source.model=absent/model.json', path: 'source', message: /both `pretrain` and `model` given/ },
  { set: 'target.data.dataset=imagefolder', path: 'target.data', message: /dataset imagefolder needs 'path'/ },
  { set: 'grid.transfer.frieze=[all]', path: 'grid.transfer.frieze', message: /names no field/, hint: /did you mean 'freeze'\?/ },
  { set: 'grid.train.learningRate=[0.1, -1]', path: 'grid.train.learningRate[1]', message: /with train.learningRate = -1: train.learningRate: must be > 0/ },
  // Fields are own properties of the format, never found through Object.prototype.
  { set: 'constructor.prototype.x=1', path: 'constructor.prototype.x', message: /^unknown field 'constructor' \(not a field of the file\)$/ },
  { set: 'train.constructor=1', path: 'train.constructor', message: /^unknown field 'constructor' \(not a field of train\)$/ },
  { set: 'transfer.head.0.dense.toString=1', path: 'transfer.head.0.dense.toString', message: /^unknown field 'toString' \(not a field of transfer.head.0.dense\)$/ },
  { set: '__proto__.x=1', path: '', message: /^expected PATH=VALUE, like train.epochs=1 \(got '__proto__.x=1'\)$/ },
  { set: 'grid.constructor.prototype=[1]', path: 'grid.constructor.prototype', message: /names no field of the experiment \('constructor' is not a field of the file\)/ },
  // A value is YAML, held to the file's limits.
  { set: `description=[${Array.from({ length: 8 }, (_, i) => `&a${i} [${Array(10).fill(i === 0 ? 'x' : `*a${i - 1}`).join(', ')}]`).join(', ')}]`, path: 'description', message: /^the value: the file expands to [\d,]+ values .* limited to 100,000$/ },
  { set: `description=${'['.repeat(10_000)}${']'.repeat(10_000)}`, path: 'description', message: /^the value: values nested 10,000 levels deep; experiment files nest at most 32 levels$/ },
  { set: 'description=!!js/function "f"', path: 'description', message: /^the value: unknown YAML tag '!!js\/function'/ },
  { set: `description={ a: ${'x'.repeat(5000)} }`, path: 'description', message: /^expected a string \(got \{"a":"x{94}… \(5,008 characters\)\)$/ },
];

describe('--set overrides that do not apply: reported at the override', () => {
  it.each(BAD)('$set', ({ set, path, message, hint }) => {
    const error = thrown(() => load(set));
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    const issue = issues.find((i) => message.test(i.message));
    expect(issue, JSON.stringify(issues, null, 1)).toBeDefined();
    expect(issue!.position).toEqual({ override: set });
    expect(issue!.path).toBe(path);
    if (hint) expect(issue!.hint).toMatch(hint);
    expect((error as ConfigError).exitCode).toBe(2);
  });

  it('every bad override is reported at once, and the file keeps its own positions', () => {
    writeFileSync(join(dir, 'typo.yaml'), `${readFileSync(FILE, 'utf8')}metrics: [acuracy]\n`);
    const error = thrown(() => loadExperiment(join(dir, 'typo.yaml'), dir, { overrides: ['repeats=0', 'foo', 'seed=-1'] })) as ConfigError;
    expect(error.issues.map((i) => ('override' in i.position ? i.position.override : `line ${i.position.line}`)).sort())
      .toEqual(['foo', 'line 18', 'repeats=0', 'seed=-1']);
    expect(error.message).toBe('4 problems in typo.yaml');
  });
});
