import { describe, expect, it } from 'vitest';
import { layerGroups } from '../../src/models/layer-groups.js';

const layers = (spec: string) => spec.split(' ').map((s) => ({ name: s.replace('*', ''), weighted: s.endsWith('*') }));

// Names with * have weights; groups are listed from the top (the cut) down.
describe('layerGroups', () => {
  it.each([
    { name: 'one weighted layer per group', spec: 'a* b* c*', per: 1, expected: [['c'], ['b'], ['a']] },
    { name: 'two per group, the odd one out at the bottom', spec: 'a* b* c*', per: 2, expected: [['c', 'b'], ['a']] },
    { name: 'a weightless layer joins the group above it', spec: 'conv1* pool1 conv2* flat', per: 1, expected: [['flat', 'conv2', 'pool1'], ['conv1']] },
    { name: 'conv + batch norm pairs', spec: 'c1* bn1* r1 c2* bn2* r2', per: 2, expected: [['r2', 'bn2', 'c2', 'r1'], ['bn1', 'c1']] },
    { name: 'no weighted layer: one group', spec: 'pool flat', per: 1, expected: [['flat', 'pool']] },
    { name: 'nothing', spec: '', per: 1, expected: [] },
  ])('$name', ({ spec, per, expected }) => {
    expect(layerGroups(spec === '' ? [] : layers(spec), per)).toEqual(expected);
  });
});
