"""Optional sanity check of what the demo can show (PyTorch, CPU, seeded; not part of build.sh).

After build.sh: uniform 90% magnitude masks on every conv/dense kernel, then
  a) no BN re-estimation,
  b) BN statistics re-estimated on the 300 demo images,
  c) a short masked distillation from the dense model on the 300 demo images (T = 4, Adam,
     flips and crops), then BN re-estimation,
all scored on the 9,700 test images that are not demo images. Prints one JSON line.
Usage: /usr/bin/python3 scripts/demo-model/oneshot.py
"""

import copy
import json
import os

import torch
import torch.nn.functional as F

from train import DemoCnn, augment, evaluate, load_png_batch, preprocess, CACHE, HERE, PKG

SPARSITY = 0.9


def magnitude_masks(model, sparsity):
    masks = {}
    for name, p in model.named_parameters():
        if p.ndim > 1:
            k = round(sparsity * p.numel())
            order = torch.argsort(p.detach().abs().reshape(-1), stable=True)
            m = torch.ones(p.numel())
            m[order[:k]] = 0
            masks[name] = m.reshape(p.shape)
    return masks


def apply_masks(model, masks):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name in masks:
                p.mul_(masks[name])


@torch.no_grad()
def reestimate_bn(model, x):
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the calibration batches
    model.train()
    for i in range(0, x.shape[0], 100):
        model(x[i:i + 100])
    model.eval()


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(0)
    results = json.load(open(os.path.join(HERE, "results.json")))
    demo = results["demoImages"]["testIndices"]
    x_all = preprocess(load_png_batch(os.path.join(PKG, "test_batch.png")))
    y_all = torch.tensor(json.load(open(os.path.join(PKG, "test_lables.json"))))
    rest = torch.tensor(sorted(set(range(10000)) - set(demo)))
    x_cal, x_eval, y_eval = x_all[demo], x_all[rest], y_all[rest]

    teacher = DemoCnn()
    teacher.load_state_dict(torch.load(os.path.join(CACHE, "torch-model.pt")))
    teacher.eval()
    out = {"dense": evaluate(teacher, x_eval, y_eval)[1]}

    student = copy.deepcopy(teacher)
    masks = magnitude_masks(student, SPARSITY)
    apply_masks(student, masks)
    out["oneShotNoBn"] = evaluate(student, x_eval, y_eval)[1]
    reestimate_bn(student, x_cal)
    out["oneShotBnReestimated"] = evaluate(student, x_eval, y_eval)[1]

    opt = torch.optim.Adam(student.parameters(), lr=2e-3)
    T = 4.0
    epochs, bs = 100, 50
    for epoch in range(epochs):
        student.train()
        perm = torch.randperm(x_cal.shape[0], generator=gen)
        for s in range(0, x_cal.shape[0], bs):
            xb = augment(x_cal[perm[s:s + bs]], gen)
            with torch.no_grad():
                t_logits = teacher(xb)
            p_t = F.softmax(t_logits / T, 1)
            loss = T * T * F.kl_div(F.log_softmax(student(xb) / T, 1), p_t, reduction="batchmean")
            opt.zero_grad()
            loss.backward()
            opt.step()
            apply_masks(student, masks)
    reestimate_bn(student, x_cal)
    out["distilled100EpochsOn300"] = evaluate(student, x_eval, y_eval)[1]
    out["scoredOn"] = int(rest.numel())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
