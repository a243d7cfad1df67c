"""PyTorch CPU time of the same DST-shaped training step on the demo CNN, for `npm run bench`.

Usage: python3 torch_step.py BATCH STEPS  -> prints mean milliseconds per step on the last line.
Step = teacher forward (no grad) + student forward/backward on the tempered KL + SGD momentum
update, with masks recomputed by top-k on every prunable kernel (the same work as the studio).
"""
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "demo-model"))
from train import DemoCnn  # noqa: E402  (the demo's own architecture)

batch, steps = int(sys.argv[1]), int(sys.argv[2])
torch.manual_seed(0)
torch.set_num_threads(os.cpu_count() or 1)
teacher, student = DemoCnn().eval(), DemoCnn().train()
kernels = [p for n, p in student.named_parameters() if p.dim() > 1]
dense = [k.detach().clone() for k in kernels]
opt = torch.optim.SGD(student.parameters(), lr=1e-3, momentum=0.9)
x = torch.rand(batch, 3, 32, 32) * 2 - 1


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


step()
t0 = time.perf_counter()
for _ in range(steps):
    step()
print((time.perf_counter() - t0) / steps * 1000)
