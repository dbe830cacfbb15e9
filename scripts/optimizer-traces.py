#!/usr/bin/env python3
"""Reference traces of PyTorch's optimizers, for test/train/optimizers.test.ts.

Each case is an optimizer as an experiment file writes it (tlx's parameter names,
only those given; the rest are PyTorch's defaults, which tlx's schema must share),
random float32 weights and random float32 gradients for every step, and the
weights PyTorch computes after each step in float64. The test replays the
gradients through tlx's optimizers and compares the weights step by step.

    python3 scripts/optimizer-traces.py > test/train/optimizer-traces.json   # the committed traces
    python3 scripts/optimizer-traces.py --seed 7                             # fresh inputs (the live test)
"""
import argparse
import inspect
import json
import sys

import torch

STEPS = 20
SHAPES = [(2, 3), (4,)]

# (learning rate, tlx settings) per case: every optimizer and a few settings each.
CASES = [
    (0.05, {'name': 'sgd'}),
    (0.01, {'name': 'sgd', 'momentum': 0.9}),
    (0.01, {'name': 'sgd', 'momentum': 0.9, 'nesterov': True}),
    (0.02, {'name': 'sgd', 'momentum': 0.5, 'weightDecay': 0.01}),
    (0.01, {'name': 'adam'}),
    (0.01, {'name': 'adam', 'weightDecay': 0.01}),
    (0.01, {'name': 'adam', 'amsgrad': True}),
    (0.02, {'name': 'adam', 'beta1': 0.5, 'beta2': 0.9, 'epsilon': 1e-6}),
    (0.01, {'name': 'adamw'}),
    (0.01, {'name': 'adamw', 'weightDecay': 0.1, 'amsgrad': True}),
    (0.01, {'name': 'rmsprop'}),
    (0.001, {'name': 'rmsprop', 'momentum': 0.9}),
    (0.01, {'name': 'rmsprop', 'centered': True}),
    (0.005, {'name': 'rmsprop', 'rho': 0.9, 'momentum': 0.5, 'centered': True, 'weightDecay': 0.01, 'epsilon': 1e-7}),
    (1.0, {'name': 'adadelta'}),
    (1.0, {'name': 'adadelta', 'rho': 0.95, 'epsilon': 1e-7}),
    (0.5, {'name': 'adadelta', 'weightDecay': 0.01}),
    (0.1, {'name': 'adagrad'}),
    (0.1, {'name': 'adagrad', 'initialAccumulator': 0.1, 'weightDecay': 0.01, 'epsilon': 1e-7}),
]

# tlx's names -> torch.optim's class and keyword arguments.
CLASSES = {'sgd': torch.optim.SGD, 'adam': torch.optim.Adam, 'adamw': torch.optim.AdamW,
           'rmsprop': torch.optim.RMSprop, 'adadelta': torch.optim.Adadelta, 'adagrad': torch.optim.Adagrad}
KEYWORDS = {'momentum': 'momentum', 'nesterov': 'nesterov', 'weightDecay': 'weight_decay', 'amsgrad': 'amsgrad',
            'epsilon': 'eps', 'centered': 'centered', 'initialAccumulator': 'initial_accumulator_value'}


def torch_optimizer(settings, params, lr):
    name = settings['name']
    kwargs = {'lr': lr}
    for key, value in settings.items():
        if key == 'name':
            continue
        elif key in ('beta1', 'beta2'):
            betas = list(kwargs.get('betas', inspect.signature(CLASSES[name]).parameters['betas'].default))
            betas[0 if key == 'beta1' else 1] = value
            kwargs['betas'] = tuple(betas)
        elif key == 'rho':
            kwargs['alpha' if name == 'rmsprop' else 'rho'] = value
        else:
            kwargs[KEYWORDS[key]] = value
    return CLASSES[name](params, **kwargs)


def trace(lr, settings, generator):
    def draw(shape, scale=1.0):
        return (torch.randn(shape, generator=generator, dtype=torch.float32) * scale).to(torch.float32)

    initial = [draw(s) for s in SHAPES]
    # Gradients of varying size, as training sees them: each step scaled by 10^U(-1, 0).
    gradients = []
    for _ in range(STEPS):
        scale = float(10 ** (torch.rand(1, generator=generator).item() - 1))
        gradients.append([draw(s, scale) for s in SHAPES])
    flat = lambda ts: [t.to(torch.float64).flatten().tolist() for t in ts]
    return {'optimizer': settings, 'learningRate': lr, 'shapes': [list(s) for s in SHAPES],
            'initial': flat(initial), 'gradients': [flat(g) for g in gradients],
            'after': steps(lr, settings, initial, gradients, torch.float32),
            'exact': steps(lr, settings, initial, gradients, torch.float64)}


def steps(lr, settings, initial, gradients, dtype):
    """The weights after each step, computed in `dtype`."""
    params = [p.to(dtype).clone().requires_grad_(True) for p in initial]
    optimizer = torch_optimizer(settings, params, lr)
    after = []
    for step in gradients:
        for p, g in zip(params, step):
            p.grad = g.to(dtype).clone()
        optimizer.step()
        after.append([p.detach().to(torch.float64).flatten().tolist() for p in params])
    return after


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seed', type=int, default=20240515)
    args = parser.parse_args()
    generator = torch.Generator().manual_seed(args.seed)
    torch.set_default_dtype(torch.float64)
    out = {'torch': torch.__version__, 'seed': args.seed, 'steps': STEPS,
           'cases': [trace(lr, settings, generator) for lr, settings in CASES]}
    json.dump(out, sys.stdout, separators=(',', ':'))
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
