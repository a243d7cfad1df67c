"""PyTorch CPU times of the bench's work, for `npm run bench` (Debian python3-torch).

Usage: python3 torch_bench.py MODEL BATCH STEPS, MODEL = demo | mobilenet | tm.
Prints one JSON line: {"stepMs": ..., "fitnessSeconds": ..., "forwardMs": ..., "peakRssMB": ...}.

Step = teacher forward (no grad) + student forward/backward on the tempered KL + SGD momentum
update, with masks recomputed by top-k (50%) on every prunable kernel: the studio's DST step.
Fitness = BN re-estimation (train-mode forward, no grad) on 2 batches + scoring 64 images in
eval mode: the studio's search fitness evaluation as `npm run bench` times it. Forward = the
teacher's forward pass alone (eval, no grad), median of at least 5. Step: the median of the timed
steps, as the studio's rows. Weights are random;
only the architecture matters to the time. Threads: every core (PyTorch's own default).
"""
import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "demo-model"))
from train import DemoCnn  # noqa: E402  (the demo's own architecture)


def mobilenet_v1(alpha=0.25, classes=1000):
    """MobileNet v1 as in public/models/mobilenet_v1_0.25_224: 'same' padding, BN, ReLU6."""

    def block(cin, cout, stride, groups, k):
        pad = (k - 1) // 2
        return [nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3), nn.ReLU6()]

    widths = [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024]
    strides = [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]
    c = int(32 * alpha)
    layers = block(3, c, 2, 1, 3)
    for w, s in zip(widths, strides):
        out = int(w * alpha)
        layers += block(c, c, s, c, 3) + block(c, out, 1, 1, 1)
        c = out
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Conv2d(c, classes, 1), nn.Flatten())


class PadConv(nn.Module):
    """Keras' ZeroPadding2D(((0, 1), (0, 1))) before a stride-2 'valid' conv, as in its MobileNetV2."""

    def __init__(self, conv):
        super().__init__()
        self.conv = conv

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        mid = cin * expand
        layers = [] if expand == 1 else [nn.Conv2d(cin, mid, 1, bias=False), nn.BatchNorm2d(mid, eps=1e-3), nn.ReLU6()]
        dw = nn.Conv2d(mid, mid, 3, stride, 1 if stride == 1 else 0, groups=mid, bias=False)
        layers += [dw if stride == 1 else PadConv(dw), nn.BatchNorm2d(mid, eps=1e-3), nn.ReLU6()]
        layers += [nn.Conv2d(mid, cout, 1, bias=False), nn.BatchNorm2d(cout, eps=1e-3)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def teachable_machine(classes=12):
    """The Teachable Machine export of src/engine/export/fixtures/teachable-machine-waste: Keras'
    MobileNetV2 at alpha 0.35 (channels rounded to multiples of 8, last conv 1280), global average
    pooling, Dense(100, relu), Dense(classes) without bias."""

    stages = [(1, 8, 1, 1), (6, 8, 2, 2), (6, 16, 3, 2), (6, 24, 4, 2), (6, 32, 3, 1), (6, 56, 3, 2), (6, 112, 1, 1)]
    layers = [PadConv(nn.Conv2d(3, 16, 3, 2, 0, bias=False)), nn.BatchNorm2d(16, eps=1e-3), nn.ReLU6()]
    c = 16
    for t, out, n, s in stages:
        for i in range(n):
            layers.append(InvertedResidual(c, out, s if i == 0 else 1, t))
            c = out
    layers += [nn.Conv2d(c, 1280, 1, bias=False), nn.BatchNorm2d(1280, eps=1e-3), nn.ReLU6(), nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    layers += [nn.Linear(1280, 100), nn.ReLU(), nn.Linear(100, classes, bias=False)]
    return nn.Sequential(*layers)


def build(name):
    if name == "demo":
        return DemoCnn, (3, 32, 32)
    if name == "tm":
        return teachable_machine, (3, 224, 224)
    return mobilenet_v1, (3, 224, 224)


def main():
    name, batch, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    make, shape = build(name)
    teacher, student = make().eval(), make().train()
    kernels = [p for p in student.parameters() if p.dim() > 1]
    dense = [k.detach().clone() for k in kernels]
    opt = torch.optim.SGD(student.parameters(), lr=1e-3, momentum=0.9)
    x = torch.rand(batch, *shape) * 2 - 1

    def step():
        with torch.no_grad():
            for k, d in zip(kernels, dense):
                keep = d.numel() // 2
                thr = d.abs().flatten().kthvalue(d.numel() - keep).values
                k.copy_(d * (d.abs() > thr))
            zt = teacher(x)
        zs = student(x)
        loss = 16 * F.kl_div(F.log_softmax(zs / 4, 1) / 8, F.softmax(zt / 4, 1), reduction="batchmean")
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            for k, d in zip(kernels, dense):
                d.copy_(k)

    # The studio's search keeps its noisy BN batches and converts the scored images once per
    # evaluation; here both are built before the clock starts, and only the forward passes are timed.
    fit_model = make()
    bn_batches = [torch.rand(batch, *shape) * 2 - 1 + 0.01 * torch.randn(batch, *shape) for _ in range(2)]
    scored = [torch.rand(min(batch, 64 - i), *shape) * 2 - 1 for i in range(0, 64, batch)]

    def fitness():
        model = fit_model
        with torch.no_grad():
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.reset_running_stats()
                    m.momentum = None  # cumulative average, as the studio's re-estimation
            model.train()
            for b in bn_batches:
                model(b)
            model.eval()
            for b in scored:
                model(b)

    def timed(f):
        t0 = time.perf_counter()
        f()
        return (time.perf_counter() - t0) * 1000

    step()
    step_ms = statistics.median([timed(step) for _ in range(steps)])

    def forward():
        with torch.no_grad():
            teacher(x)

    forward()
    forward()
    forward_ms = statistics.median([timed(forward) for _ in range(max(5, steps))])
    fitness()
    t0 = time.perf_counter()
    fitness()
    fit_s = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"stepMs": step_ms, "fitnessSeconds": fit_s, "forwardMs": forward_ms, "peakRssMB": peak}))


main()
