"""PyTorch CPU times of the bench's work, for `npm run bench` (Debian python3-torch).

Usage: python3 torch_bench.py MODEL BATCH STEPS, MODEL = demo | mobilenet.
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


def build(name):
    if name == "demo":
        return DemoCnn, (3, 32, 32)
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
