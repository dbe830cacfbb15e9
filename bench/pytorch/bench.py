"""PyTorch side of `tlx bench`.

Trains and runs inference on the same small models that `tlx bench` measures,
so the two throughputs can be compared side by side. Run it with the same
thread count as tlx so the ratio is meaningful. Prints one JSON line.

  /usr/bin/python3 bench/pytorch/bench.py --workload mnist-cnn --threads 1
"""
import argparse
import json
import time

import torch
from torch import nn

DEFAULT_BATCH = {"mnist-cnn": 128, "mobilenet": 32, "mobilenet-v2": 8, "text-cnn": 50}
INPUT_SHAPE = {"mnist-cnn": (1, 28, 28), "mobilenet": (3, 96, 96), "mobilenet-v2": (3, 224, 224)}
NUM_CLASSES = 10
# text-cnn: sentences of token ids (Kim 2014's size; tlx's workload mirrors it).
TEXT_LENGTH, TEXT_VOCABULARY, TEXT_DIM = 50, 20_000, 300


def mnist_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(),
        nn.Conv2d(32, 32, 3), nn.ReLU(),
        nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
        nn.Linear(32 * 12 * 12, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, NUM_CLASSES),
    )


def conv_bn(c_in, c_out, kernel, stride=1, groups=1):
    return [
        nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2,
                  groups=groups, bias=False),
        nn.BatchNorm2d(c_out), nn.ReLU6(),
    ]


def mobilenet(alpha=0.25):
    """MobileNet v1 (alpha 0.25) for 3x96x96 inputs."""
    widths = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024]
    strided = {2, 4, 6, 12}  # 1-based block indices with stride 2
    c = int(32 * alpha)
    layers = conv_bn(3, c, 3, stride=2)
    for i, w in enumerate(widths, start=1):
        c_out = int(w * alpha)
        layers += conv_bn(c, c, 3, stride=2 if i in strided else 1, groups=c)
        layers += conv_bn(c, c_out, 1)
        c = c_out
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(1e-3),
               nn.Linear(c, NUM_CLASSES)]
    return nn.Sequential(*layers)


def mobilenet_v2():
    """torchvision's MobileNetV2 (alpha 1.0, Debian python3-torchvision), fresh weights."""
    from torchvision.models import mobilenet_v2 as torchvision_mobilenet_v2
    return torchvision_mobilenet_v2(num_classes=NUM_CLASSES)


class KimCnn(nn.Module):
    """Kim (2014): embedding, Conv1d of widths 3, 4, 5 (100 maps, ReLU), max over time, dropout, linear."""

    def __init__(self, widths=(3, 4, 5), filters=100):
        super().__init__()
        self.embedding = nn.Embedding(TEXT_VOCABULARY, TEXT_DIM)
        self.convs = nn.ModuleList(nn.Conv1d(TEXT_DIM, filters, w) for w in widths)
        self.dropout = nn.Dropout(0.5)
        self.out = nn.Linear(filters * len(widths), NUM_CLASSES)

    def forward(self, ids):
        x = self.embedding(ids).transpose(1, 2)  # [batch, dim, time]
        pooled = [torch.relu(conv(x)).amax(dim=2) for conv in self.convs]
        return self.out(self.dropout(torch.cat(pooled, dim=1)))


MODELS = {"mnist-cnn": mnist_cnn, "mobilenet": mobilenet, "mobilenet-v2": mobilenet_v2, "text-cnn": KimCnn}


def inputs(workload, batch):
    if workload == "text-cnn":
        return torch.randint(1, TEXT_VOCABULARY, (batch, TEXT_LENGTH))
    return torch.rand(batch, *INPUT_SHAPE[workload])


def throughput(step, batch, warmup, steps):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return batch * steps / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--workload", choices=sorted(MODELS), required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batch", type=int, default=None)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    args = p.parse_args()
    batch = args.batch or DEFAULT_BATCH[args.workload]

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # can only be set once per process
    torch.manual_seed(0)

    model = MODELS[args.workload]()
    x = inputs(args.workload, batch)
    y = torch.randint(0, NUM_CLASSES, (batch,))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def train_step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    def infer_step():
        with torch.no_grad():
            model(x)

    model.train()
    train = throughput(train_step, batch, args.warmup, args.steps)
    model.eval()
    infer = throughput(infer_step, batch, args.warmup, args.steps)

    print(json.dumps({
        "workload": args.workload, "threads": args.threads, "batch": batch,
        "trainSamplesPerSec": train, "inferSamplesPerSec": infer,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
