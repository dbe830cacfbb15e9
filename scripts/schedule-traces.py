#!/usr/bin/env python3
"""Reference learning rates of PyTorch's schedulers, for test/train/schedule.test.ts.

Each case is a schedule as an experiment file writes it (tlx's names, every
parameter given), a base learning rate and a phase's shape (steps per epoch, steps
in all), with the learning rate PyTorch's torch.optim.lr_scheduler gives each
optimizer step: read from the optimizer before the step, the scheduler stepped
after it, as PyTorch's documentation orders them.

    /usr/bin/python3 scripts/schedule-traces.py > test/train/schedule-traces.json   # the committed traces
    /usr/bin/python3 scripts/schedule-traces.py --seed 7                            # random cases (the live test)
"""
import argparse
import json
import math
import random

import torch
from torch.optim import lr_scheduler as S


def steps_of(duration, per_epoch):
    """tlx's durationSteps: JavaScript's Math.round (halves up), at least 1."""
    if 'steps' in duration:
        return duration['steps']
    return max(1, math.floor(duration['epochs'] * per_epoch + 0.5))


def scheduler(schedule, optimizer, per_epoch, total, per):
    name = schedule['name']
    if name == 'constant':
        return S.LambdaLR(optimizer, lambda t: 1.0)
    if name == 'step' and per == 'epoch':
        return S.StepLR(optimizer, step_size=schedule['every']['epochs'], gamma=schedule['gamma'])
    if name == 'step':
        return S.StepLR(optimizer, step_size=steps_of(schedule['every'], per_epoch), gamma=schedule['gamma'])
    if name == 'exponential':
        # tlx's gamma per `every` is ExponentialLR's gamma^(1 / every) per step.
        return S.ExponentialLR(optimizer, gamma=schedule['gamma'] ** (1 / steps_of(schedule['every'], per_epoch)))
    if name == 'cosine':
        warmup = steps_of(schedule['warmup'], per_epoch) if 'warmup' in schedule else 0
        cosine = S.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=schedule['minLearningRate'])
        if warmup == 0:
            return cosine
        # LinearLR's recursive form divides by start_factor: tlx's 0 (Keras' and
        # Hugging Face's start) is taken as 1e-300, a difference of 1e-300 of the peak.
        start = max(schedule['warmupStart'], 1e-300)
        linear = S.LinearLR(optimizer, start_factor=start, end_factor=1.0, total_iters=warmup)
        return S.SequentialLR(optimizer, [linear, cosine], milestones=[warmup])
    if name == 'oneCycle':
        return S.OneCycleLR(optimizer, max_lr=optimizer.param_groups[0]['lr'], total_steps=total, pct_start=schedule['pctStart'],
                            anneal_strategy='cos', cycle_momentum=False, div_factor=schedule['divFactor'],
                            final_div_factor=schedule['finalDivFactor'], three_phase=False)
    raise ValueError(name)


def trace(schedule, learning_rate, per_epoch, total, per='step'):
    weight = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([weight], lr=learning_rate)
    s = scheduler(schedule, optimizer, per_epoch, total, per)
    rates = []
    for t in range(total):
        rates.append(optimizer.param_groups[0]['lr'])
        optimizer.step()
        if per == 'step' or (t + 1) % per_epoch == 0:
            s.step()
    return {'schedule': schedule, 'learningRate': learning_rate, 'perEpoch': per_epoch, 'total': total, 'steppedPer': per, 'rates': rates}


COMMITTED = [
    ({'name': 'constant'}, 0.01, 5, 20, 'step'),
    ({'name': 'step', 'every': {'steps': 7}, 'gamma': 0.1}, 0.1, 5, 40, 'step'),
    ({'name': 'step', 'every': {'epochs': 2}, 'gamma': 0.5}, 0.1, 6, 60, 'step'),
    # every: { epochs: 2 } is StepLR(step_size=2) stepped once per epoch.
    ({'name': 'step', 'every': {'epochs': 2}, 'gamma': 0.5}, 0.1, 6, 60, 'epoch'),
    ({'name': 'exponential', 'gamma': 0.9, 'every': {'steps': 1}}, 0.05, 4, 50, 'step'),
    ({'name': 'exponential', 'gamma': 0.5, 'every': {'epochs': 1}}, 0.05, 8, 40, 'step'),
    ({'name': 'cosine', 'warmupStart': 0, 'minLearningRate': 0}, 0.001, 10, 50, 'step'),
    ({'name': 'cosine', 'warmup': {'steps': 10}, 'warmupStart': 0, 'minLearningRate': 0}, 0.001, 10, 100, 'step'),
    ({'name': 'cosine', 'warmup': {'epochs': 0.5}, 'warmupStart': 0.1, 'minLearningRate': 1e-5}, 0.01, 12, 72, 'step'),
    ({'name': 'oneCycle', 'pctStart': 0.3, 'divFactor': 25, 'finalDivFactor': 10000}, 0.1, 10, 100, 'step'),
    ({'name': 'oneCycle', 'pctStart': 0.25, 'divFactor': 10, 'finalDivFactor': 100}, 0.01, 7, 37, 'step'),
]


def random_cases(seed):
    r = random.Random(seed)
    cases = []
    for _ in range(4):
        per_epoch = r.randint(1, 12)
        total = per_epoch * r.randint(2, 9)
        lr = 10 ** r.uniform(-4, 0)
        duration = lambda: {'steps': r.randint(1, total)} if r.random() < 0.5 else {'epochs': round(r.uniform(0.2, 3), 3)}
        cases += [
            ({'name': 'constant'}, lr, per_epoch, total, 'step'),
            ({'name': 'step', 'every': duration(), 'gamma': round(r.uniform(0.05, 0.95), 3)}, lr, per_epoch, total, 'step'),
            ({'name': 'exponential', 'gamma': round(r.uniform(0.5, 0.999), 4), 'every': duration()}, lr, per_epoch, total, 'step'),
            ({'name': 'cosine', 'warmup': {'steps': r.randint(1, total - 1)}, 'warmupStart': round(r.uniform(0, 1), 3),
              'minLearningRate': lr * round(r.uniform(0, 0.1), 3)}, lr, per_epoch, total, 'step'),
            ({'name': 'oneCycle', 'pctStart': round(r.uniform(0.1, 0.6), 3), 'divFactor': round(r.uniform(2, 50), 2),
              'finalDivFactor': round(r.uniform(10, 1e4), 1)}, lr, per_epoch, max(total, 20), 'step'),
        ]
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seed', type=int)
    args = parser.parse_args()
    cases = COMMITTED if args.seed is None else random_cases(args.seed)
    print(json.dumps({'torch': torch.__version__, 'cases': [trace(*c) for c in cases]}))


if __name__ == '__main__':
    import warnings
    warnings.simplefilter('ignore')  # SequentialLR's deprecation notes about step(epoch)
    main()
