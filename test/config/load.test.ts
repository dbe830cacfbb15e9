import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/config/load.js';
import { NOT_DOWNLOADED, requirePresent } from '../../src/config/presence.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { thrown } from '../support/thrown.js';
import { GOOD } from './hostile-files.js';

const SEARCH = `${GOOD.slice(0, GOOD.indexOf('grid:'))}search:
  strategy: random
  budget: { trials: 4 }
  space:
    train.learningRate: { logUniform: [0.001, 0.1] }
`;

const dir = mkdtempSync(join(tmpdir(), 'tlx-config-'));

function load(yaml: string) {
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return thrown(() => loadExperiment(file, dir));
}

/** Each row: a broken file, where the problem must be reported, and what is said. */
const CASES: { name: string; yaml: string; line: number; col: number; path: string; message: RegExp; hint?: RegExp }[] = [
  { name: 'YAML syntax', yaml: GOOD.replace('cut: flatten', 'cut: [flatten'), line: 7, col: 1, path: '', message: /YAML syntax/ },
  { name: 'unknown field, with suggestion', yaml: GOOD.replace('transfer:\n  freeze', 'transfer:\n  freez'), line: 10, col: 3, path: 'transfer.freez', message: /unknown field 'freez'/, hint: /did you mean 'freeze'\?/ },
  { name: 'missing required field', yaml: GOOD.replace('target:\n  data: { dataset: mnist, classes: [5, 6, 7, 8, 9] }\n', 'target: {}\n'), line: 7, col: 9, path: 'target', message: /missing required field 'data'/ },
  { name: 'enum with suggestion', yaml: GOOD.replace('architecture: keras-mnist-cnn', 'architecture: keras-mnist-cn'), line: 4, col: 19, path: 'source.pretrain.architecture', message: /expected one of 'keras-mnist-cnn', 'lenet5', 'resnet-mini', 'mobilenet-v1', 'mobilenet-v2', 'text-cnn', 'text-bigru', 'text-bag' \(got 'keras-mnist-cn'\)/, hint: /did you mean 'keras-mnist-cnn'/ },
  { name: 'wrong type', yaml: GOOD.replace('name: tiny', 'name: tiny\nrepeats: three'), line: 2, col: 10, path: 'repeats', message: /expected an integer \(got 'three'\)/ },
  { name: 'oneOf reported once', yaml: GOOD.replace('freeze: all', 'freeze: most'), line: 10, col: 11, path: 'transfer.freeze', message: /^expected layers of the source .* \(got 'most'\)$/ },
  { name: 'cut names no layer', yaml: GOOD.replace('cut: flatten', 'cut: flaten'), line: 6, col: 8, path: 'source.cut', message: /unknown layer 'flaten'/, hint: /did you mean 'flatten'\?/ },
  { name: 'freeze names a layer after the cut', yaml: GOOD.replace('freeze: all', 'freeze: [conv1, dense]'), line: 10, col: 11, path: 'transfer.freeze', message: /layer 'dense' comes after the cut/ },
  { name: 'unfreezing a layer that is not frozen', yaml: GOOD.replace('freeze: all', 'freeze: 2\n  fineTune: { unfreeze: [pool], epochs: 1 }'), line: 11, col: 25, path: 'transfer.fineTune.unfreeze', message: /layer 'pool' is not frozen/, hint: /did you mean 'conv1'|frozen layers: conv1, conv2/ },
  { name: 'discriminative decay below 1', yaml: GOOD.replace('freeze: all', 'freeze: all\n  discriminative: { decay: 0.5 }'), line: 11, col: 28, path: 'transfer.discriminative.decay', message: /must be >= 1 \(got 0.5\)/ },
  { name: 'discriminative without its decay', yaml: GOOD.replace('freeze: all', 'freeze: all\n  discriminative: { layersPerGroup: 2 }'), line: 11, col: 19, path: 'transfer.discriminative', message: /missing required field 'decay'/ },
  { name: 'L2-SP with an unknown field', yaml: GOOD.replace('freeze: all', 'freeze: all\n  l2sp: { alpha: 0.1, gamma: 1 }'), line: 11, col: 23, path: 'transfer.l2sp.gamma', message: /unknown field 'gamma'/, hint: /alpha|beta/ },
  { name: 'gradual unfreezing with 0 epochs per stage', yaml: GOOD.replace('freeze: all', 'freeze: all\n  fineTune: { unfreeze: all, epochs: 2, gradual: { epochsPerStage: 0 } }'), line: 11, col: 68, path: 'transfer.fineTune.gradual.epochsPerStage', message: /must be >= 1 \(got 0\)/ },
  { name: 'gradual unfreezing with too few epochs for its stages', yaml: GOOD.replace('freeze: all', 'freeze: all\n  fineTune: { unfreeze: all, epochs: 1, gradual: { epochsPerStage: 1 } }'), line: 11, col: 38, path: 'transfer.fineTune.epochs',
    message: /^gradual unfreezing of \d+ layers takes 2 stages of 1 epoch, 2 epochs, but transfer.fineTune.epochs is 1$/, hint: /set transfer.fineTune.epochs to 2 or more, or unfreeze more layers per stage \(gradual.layersPerStage: 2\)/ },
  { name: 'class out of range', yaml: GOOD.replace('classes: [5, 6, 7, 8, 9]', 'classes: [5, 6, 7, 8, 10]'), line: 8, col: 49, path: 'target.data.classes[4]', message: /class 10 is out of range: mnist has classes 0-9/ },
  { name: 'grid path names no field', yaml: GOOD.replace('train.learningRate:', 'train.learningrate:'), line: 12, col: 3, path: 'grid.train.learningrate', message: /names no field/, hint: /did you mean 'learningRate'\?/ },
  { name: 'grid value invalid', yaml: GOOD.replace('[0.001, 0.01]', '[0.001, -1]'), line: 12, col: 31, path: 'grid.train.learningRate[1]', message: /with train.learningRate = -1: train.learningRate: must be > 0/ },
  { name: 'grid value names no layer', yaml: GOOD.replace('train.learningRate: [0.001, 0.01]', 'transfer.freeze: [all, { upTo: conv3 }]'), line: 12, col: 26, path: 'grid.transfer.freeze[1]', message: /unknown layer 'conv3'/ },
  { name: 'idx without its files', yaml: GOOD.replace('target:\n  data: { dataset: mnist, classes: [5, 6, 7, 8, 9] }', 'target:\n  data: { dataset: idx }'), line: 8, col: 9, path: 'target.data', message: /dataset idx needs 'images'/ },
  { name: 'a field of another dataset', yaml: GOOD.replace('data: { dataset: mnist, classes: [5, 6, 7, 8, 9] }', 'data: { dataset: mnist, images: x.gz }'), line: 8, col: 27, path: 'target.data.images', message: /'images' does not apply to dataset mnist/ },
  { name: 'grid and search both', yaml: `${GOOD}search:\n  budget: { trials: 4 }\n  space:\n    train.epochs: { int: [1, 3] }\n`, line: 13, col: 1, path: 'search', message: /a grid or a search, not both/, hint: /search.space as \{choice/ },
  { name: 'search bounds reversed', yaml: SEARCH.replace('[0.001, 0.1]', '[0.1, 0.001]'), line: 15, col: 45, path: 'search.space.train.learningRate.logUniform[1]', message: /upper bound 0.001 is not above the lower bound 0.1/ },
  { name: 'search log scale from 0', yaml: SEARCH.replace('[0.001, 0.1]', '[0, 0.1]'), line: 15, col: 40, path: 'search.space.train.learningRate.logUniform[0]', message: /a log scale needs bounds above 0, got 0/, hint: /uniform/ },
  { name: 'search range end makes an invalid file', yaml: SEARCH.replace('logUniform: [0.001, 0.1]', 'uniform: [-1, 0.1]'), line: 15, col: 37, path: 'search.space.train.learningRate.uniform[0]', message: /with train.learningRate = -1: train.learningRate: must be > 0/ },
  { name: 'search path names no field', yaml: SEARCH.replace('train.learningRate:', 'train.learningrate:'), line: 15, col: 5, path: 'search.space.train.learningrate', message: /names no field/, hint: /did you mean 'learningRate'\?/ },
  { name: 'search without a budget', yaml: SEARCH.replace('  budget: { trials: 4 }\n', ''), line: 12, col: 13, path: 'search.strategy', message: /strategy random needs a budget/, hint: /budget: \{trials: N\}/ },
  { name: 'grid strategy over a continuous range', yaml: SEARCH.replace('strategy: random', 'strategy: grid'), line: 15, col: 25, path: 'search.space.train.learningRate', message: /strategy grid needs finitely many values/, hint: /step/ },
  { name: 'asha with a second phase', yaml: SEARCH.replace('strategy: random', 'strategy: asha').replace('freeze: all', 'freeze: all\n  fineTune: { unfreeze: all, epochs: 1 }').replace('target:', 'train: { epochs: 4 }\ntarget:'), line: 14, col: 13, path: 'search.strategy', message: /strategy asha continues one phase of training/ },
  { name: 'both pretrain and model', yaml: GOOD.replace('  cut: flatten', '  model: m/model.json\n  cut: flatten'), line: 3, col: 3, path: 'source', message: /both `pretrain` and `model` given/ },
];

describe('experiment file errors: position, message, suggestion', () => {
  it.each(CASES)('$name', ({ yaml, line, col, path, message, hint }) => {
    const error = load(yaml);
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    const issue = issues.find((i) => message.test(i.message));
    expect(issue, `issues: ${JSON.stringify(issues, null, 1)}`).toBeDefined();
    expect([issue!.position.line, issue!.position.col]).toEqual([line, col]);
    expect(issue!.path).toBe(path);
    if (hint) expect(issue!.hint).toMatch(hint);
    expect((error as ConfigError).exitCode).toBe(2);
  });

  it('reports all problems at once', () => {
    const error = load(GOOD.replace('freeze: all', 'freez: all').replace('name: tiny', 'name: tiny\nrepeats: 0'));
    expect((error as ConfigError).issues.map((i) => i.path).sort()).toEqual(['repeats', 'transfer.freez']);
  });

  it('a valid file loads with defaults', () => {
    expect(load(GOOD)).toBeUndefined();
  });

  it('what is not on this machine is no error: it comes back as missing, with position and remedy', () => {
    const file = join(dir, 'elsewhere.yaml');
    writeFileSync(file, GOOD.replace('target:\n  data: { dataset: mnist, classes: [5, 6, 7, 8, 9] }', 'target:\n  data: { dataset: imagefolder, path: no/such/dir }'));
    const env = { XDG_CACHE_HOME: join(dir, 'cache') };
    const loaded = loadExperiment(file, dir, { env });
    expect(loaded.missing).toHaveLength(1);
    expect(loaded.missing[0]).toMatchObject({ code: 'E_DATA_MISSING', path: 'target.data.path', position: { line: 8, col: 39 } });
    expect(loaded.missing[0]!.message).toMatch(/no such file or folder: '.*no\/such\/dir'/);
    expect(loaded.missing[0]!.hint).toMatch(/one sub-folder of JPEG\/PNG\/WebP files per class .* --set target.data.path=FOLDER/);
    expect(() => requirePresent(loaded.missing)).toThrow(ConfigError);

    const url = 'https://models.example/net/model.json';
    const remote = loadExperiment(file, dir, { env, overrides: ['source.pretrain=null', `source.model=${url}`, 'target.data.path=.'] });
    expect(remote.missing.map((m) => [m.code, m.path])).toEqual([[NOT_DOWNLOADED, 'source.model']]);
    expect(remote.missing[0]!.message).toContain(join(dir, 'cache', 'tlx', 'models'));
    expect(() => requirePresent(remote.missing)).not.toThrow(); // a run downloads it
  });

  it('a missing file is a usage error that names it', () => {
    const file = join(dir, 'absent.yaml');
    expect(() => loadExperiment(file, dir)).toThrow(UsageError);
    expect(() => loadExperiment(file, dir)).toThrow(/cannot read '.*absent.yaml': ENOENT/);
  });
});

describe('a search block', () => {
  it('loads with its defaults filled in, and its run id leaves out the sweep (budget, repeats) but not the rest', () => {
    const file = (name: string, yaml: string) => {
      const path = join(dir, name);
      writeFileSync(path, yaml);
      return loadExperiment(path, dir);
    };
    const a = file('search-a.yaml', SEARCH);
    expect(a.experiment.search).toMatchObject({ strategy: 'random', seed: 1337, asha: { minEpochs: 1, reduction: 3 }, tpe: { startup: 10, candidates: 24 } });
    const bigger = file('search-b.yaml', SEARCH.replace('trials: 4', 'trials: 40').replace('name: tiny', 'name: tiny\nrepeats: 3'));
    expect(bigger.hash).toBe(a.hash);
    const other = file('search-c.yaml', SEARCH.replace('freeze: all', 'freeze: 2'));
    expect(other.hash).not.toBe(a.hash);
    const grid = file('grid.yaml', GOOD);
    expect(grid.hash).toBe(file('grid-more.yaml', GOOD.replace('[0.001, 0.01]', '[0.001, 0.01, 0.1]')).hash);
  });
});
