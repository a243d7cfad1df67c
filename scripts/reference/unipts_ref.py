#!/usr/bin/env python3
"""Independent reference for the studio's quality cases: UniPTS as docs/method.md describes it,
written in PyTorch from the method text (no code shared with the studio).

It reads the same files the studio's CLI reads: a TF.js layers model (model.json + shards) and
folders of images (class sub-folders named by class index). Roles are kept apart: calibration
images train and drive the search and BN re-estimation, validation images choose the checkpoint
and the one-shot fallback, test images are scored once at the end and choose nothing.

Usage (Debian's python3-torch is /usr/bin/python3):
  /usr/bin/python3 scripts/reference/unipts_ref.py --model public/demo/cifar10/model/model.json \
      --calib DIR --val DIR --test DIR --sparsity 0.9 [--pattern 2:4] --lr 0.01 --seeds 1 2 3
Prints one JSON object (per seed and mean/spread) on stdout.
"""
import argparse
import json
import math
import os
import random
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


# ----------------------------------------------------------------------------- model

def load_tfjs(path):
    """Layers (in order) and float32 weights of a TF.js layers model whose graph is a chain."""
    with open(path) as f:
        mj = json.load(f)
    topo = mj["modelTopology"]
    topo = topo.get("model_config", topo)
    layers = topo["config"]["layers"] if isinstance(topo["config"], dict) else topo["config"]
    weights = {}
    folder = os.path.dirname(path)
    for group in mj["weightsManifest"]:
        data = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32", w
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            weights[w["name"]] = torch.from_numpy(np.frombuffer(data, np.float32, n, off).copy().reshape(w["shape"]))
            off += 4 * n
    return layers, weights, (mj.get("userDefinedMetadata") or {}).get("preprocess", "symmetric")


def same_pad(x, k, s, d=1):
    """TensorFlow's 'same' padding (the extra pixel goes bottom/right)."""
    h, w = x.shape[2], x.shape[3]
    def amount(n, kk, ss):
        out = math.ceil(n / ss)
        return max((out - 1) * ss + (kk - 1) * d + 1 - n, 0)
    ph, pw = amount(h, k[0], s[0]), amount(w, k[1], s[1])
    return F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])


class Net(torch.nn.Module):
    """The chain as PyTorch ops; prunable kernels kept in PyTorch layout with their TF names."""

    def __init__(self, layers, weights):
        super().__init__()
        self.ops = []
        self.params_ = torch.nn.ParameterDict()
        self.bns = {}
        self.prunable = []  # (tf name, parameter key, kind)
        for l in layers:
            c, cfg, name = l["class_name"], l["config"], l["config"]["name"]
            key = name.replace("/", "_")
            if c == "InputLayer":
                continue
            if c in ("Conv2D", "DepthwiseConv2D"):
                k = weights[f"{name}/kernel" if c == "Conv2D" else f"{name}/depthwise_kernel"]
                if c == "Conv2D":
                    w = k.permute(3, 2, 0, 1).contiguous()  # [kh,kw,in,out] -> [out,in,kh,kw]
                else:
                    kh, kw, cin, mult = k.shape
                    w = k.permute(2, 3, 0, 1).reshape(cin * mult, 1, kh, kw).contiguous()
                self.params_[key] = torch.nn.Parameter(w)
                b = weights.get(f"{name}/bias")
                if b is not None:
                    self.params_[key + "_b"] = torch.nn.Parameter(b.clone())
                self.prunable.append((name, key, "conv2d" if c == "Conv2D" else "depthwise"))
                self.ops.append(("conv", key, tuple(cfg["kernel_size"]), tuple(cfg["strides"]), cfg["padding"],
                                 k.shape[2] if c == "DepthwiseConv2D" else 1, cfg.get("activation", "linear")))
            elif c == "Dense":
                self.params_[key] = torch.nn.Parameter(weights[f"{name}/kernel"].t().contiguous())
                b = weights.get(f"{name}/bias")
                if b is not None:
                    self.params_[key + "_b"] = torch.nn.Parameter(b.clone())
                self.prunable.append((name, key, "dense"))
                self.ops.append(("dense", key, cfg.get("activation", "linear")))
            elif c == "BatchNormalization":
                bn = torch.nn.BatchNorm2d(weights[f"{name}/moving_mean"].numel(), eps=cfg["epsilon"])
                with torch.no_grad():
                    bn.weight.copy_(weights.get(f"{name}/gamma", torch.ones_like(bn.weight)))
                    bn.bias.copy_(weights.get(f"{name}/beta", torch.zeros_like(bn.bias)))
                    bn.running_mean.copy_(weights[f"{name}/moving_mean"])
                    bn.running_var.copy_(weights[f"{name}/moving_variance"])
                self.add_module("bn_" + key, bn)
                self.bns[key] = bn
                self.ops.append(("bn", key))
            elif c in ("Activation", "ReLU"):
                act = cfg.get("activation", "relu") if c == "Activation" else ("relu6" if cfg.get("max_value") == 6 else "relu")
                self.ops.append(("act", act))
            elif c == "GlobalAveragePooling2D":
                self.ops.append(("gap",))
            elif c == "ZeroPadding2D":
                p = cfg["padding"]
                self.ops.append(("zpad", p))
            elif c in ("Dropout", "Reshape", "Flatten"):
                self.ops.append(("flatten",) if c != "Dropout" else ("noop",))
            else:
                raise SystemExit(f"reference: layer class {c} ({name}) is not supported")
        self.masks = {}

    def kernel(self, key):
        w = self.params_[key]
        m = self.masks.get(key)
        # Straight-through: forward w * mask, gradient of w * mask passed to all of w.
        return w if m is None else w - (w * (1 - m)).detach()

    def forward(self, x):  # x: NHWC preprocessed
        x = x.permute(0, 3, 1, 2)
        for op in self.ops:
            kind = op[0]
            if kind == "conv":
                _, key, k, s, pad, groups, act = op
                if pad == "same":
                    x = same_pad(x, k, s)
                x = F.conv2d(x, self.kernel(key), self.params_[key + "_b"] if key + "_b" in self.params_ else None, s, 0, 1, groups)
                x = activation(x, act)
            elif kind == "dense":
                _, key, act = op
                x = F.linear(x, self.kernel(key), self.params_[key + "_b"] if key + "_b" in self.params_ else None)
                x = activation(x, act)
            elif kind == "bn":
                x = self.bns[op[1]](x)
            elif kind == "act":
                x = activation(x, op[1])
            elif kind == "gap":
                x = x.mean(dim=(2, 3))
            elif kind == "zpad":
                (t, b), (l, r) = op[1] if isinstance(op[1][0], list) else ((op[1][0], op[1][0]), (op[1][1], op[1][1]))
                x = F.pad(x, [l, r, t, b])
            elif kind == "flatten":
                x = x.reshape(x.shape[0], -1)
        return x


def activation(x, act):
    if act == "relu":
        return F.relu(x)
    if act == "relu6":
        return F.relu6(x)
    if act in ("linear", "softmax"):  # logits: the softmax head is stripped
        return x
    raise SystemExit(f"reference: activation {act} is not supported")


# ----------------------------------------------------------------------------- data

def preprocess(u8, kind):
    x = torch.from_numpy(u8).float()
    if kind == "symmetric":
        return x / 127.5 - 1
    if kind == "unit":
        return x / 255
    if kind == "imagenet":
        return (x / 255 - torch.tensor([0.485, 0.456, 0.406])) / torch.tensor([0.229, 0.224, 0.225])
    return x


def load_folder(folder, size):
    """uint8 NHWC images (resize short side + centre crop to `size`) and labels from folder names."""
    xs, ys = [], []
    for cls in sorted(os.listdir(folder)):
        d = os.path.join(folder, cls)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            img = Image.open(os.path.join(d, f)).convert("RGB")
            if img.size != (size, size):
                w, h = img.size
                s = size / min(w, h)
                img = img.resize((max(size, round(w * s)), max(size, round(h * s))), Image.BILINEAR)
                w, h = img.size
                img = img.crop(((w - size) // 2, (h - size) // 2, (w - size) // 2 + size, (h - size) // 2 + size))
            xs.append(np.asarray(img, dtype=np.uint8))
            ys.append(int(cls))
    return np.stack(xs), torch.tensor(ys)


def augment(x, gen, black):
    """32-pixel images: 4-pixel zero (black) padded random crop + flip (the CIFAR convention);
    larger images: random resized crop (area 50-100%) + flip."""
    b, h, w, c = x.shape
    out = torch.empty_like(x)
    if h <= 64:
        padded = black.expand(b, h + 8, w + 8, c).clone()
        padded[:, 4:4 + h, 4:4 + w] = x
        for i in range(b):
            dy, dx = torch.randint(0, 9, (2,), generator=gen).tolist()
            img = padded[i, dy:dy + h, dx:dx + w]
            out[i] = img.flip(1) if torch.rand(1, generator=gen).item() < 0.5 else img
        return out
    for i in range(b):
        area = 0.5 + 0.5 * torch.rand(1, generator=gen).item()
        ratio = math.exp(math.log(3 / 4) + math.log(16 / 9) * torch.rand(1, generator=gen).item())
        cw, ch = min(1, math.sqrt(area * ratio)), min(1, math.sqrt(area / ratio))
        y0 = int(torch.rand(1, generator=gen).item() * (1 - ch) * h)
        x0 = int(torch.rand(1, generator=gen).item() * (1 - cw) * w)
        crop = x[i, y0:y0 + max(1, int(ch * h)), x0:x0 + max(1, int(cw * w))].permute(2, 0, 1)[None]
        img = F.interpolate(crop, size=(h, w), mode="bilinear", align_corners=False)[0].permute(1, 2, 0)
        out[i] = img.flip(1) if torch.rand(1, generator=gen).item() < 0.5 else img
    return out


# ----------------------------------------------------------------------------- masks

def nm_fits(net, key, kind, m):
    return kind != "depthwise" and net.params_[key].shape[1] % m == 0


def magnitude_mask(w, sparsity):
    n = w.numel()
    keep = min(n, max(0, round((1 - sparsity) * n)))
    mask = torch.zeros(n)
    if keep:
        mask[torch.topk(w.detach().abs().reshape(-1), keep).indices] = 1
    return mask.reshape(w.shape)


def nm_mask(w, n, m):
    """Keep the n largest |w| of every m consecutive input channels (dim 1 of [out, in, ...])."""
    wt = w.detach().abs().movedim(1, -1)  # [..., in]
    shape = wt.shape
    g = wt.reshape(-1, shape[-1] // m, m)
    idx = torch.topk(g, n, dim=-1).indices
    mask = torch.zeros_like(g).scatter_(-1, idx, 1)
    return mask.reshape(shape).movedim(-1, 1)


def make_masks(net, plan):
    return {key: (nm_mask(net.params_[key], *spec[1:]) if spec[0] == "nm" else magnitude_mask(net.params_[key], spec[1]))
            for key, spec in plan.items()}


# ----------------------------------------------------------------------------- method pieces

@torch.no_grad()
def reestimate_bn(net, x_cal, batch, noise, seed):
    """Cumulative-average BN statistics over every calibration batch, inputs with Gaussian noise."""
    if not net.bns:
        return
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(x_cal.shape[0], generator=gen)
    for bn in net.bns.values():
        bn.reset_running_stats()
        bn.momentum = None
    net.train()
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        if len(idx) < 2 and i > 0:
            break
        x = x_cal[idx]
        net(x + noise * torch.randn(x.shape, generator=gen))
    net.eval()
    for bn in net.bns.values():
        bn.momentum = 0.1


@torch.no_grad()
def logits_of(net, x, batch=500):
    net.eval()
    return torch.cat([net(x[i:i + batch]) for i in range(0, x.shape[0], batch)])


def top1(z, y):
    return (z.argmax(1) == y).float().mean().item()


def kl_mean(z_dense, z):
    p = F.log_softmax(z_dense, 1)
    return (p.exp() * (p - F.log_softmax(z, 1))).sum(1).mean().item()


def genome_sparsities(genome, params, p, delta):
    n = sum(params)
    pe = min(1.0, p + delta)
    a = np.exp(np.array(genome) - max(genome))
    a /= a.sum()
    return [min(1.0, max(0.0, pe - (pe - p) * n * a[i] / params[i])) for i in range(len(params))]


def search(fitness, genes, pop, gens, parents, mut, seed):
    """Evolutionary search of UNIPTS section 2: elitist parents, crossover and mutation children."""
    rnd = random.Random(seed)
    cache = {}

    def score(g):
        k = tuple(g)
        if k not in cache:
            cache[k] = fitness(g)
        return cache[k]

    equal = [1.0] * genes
    population = [equal] + [[rnd.random() for _ in range(genes)] for _ in range(pop - 1)]
    scored = [(score(g), g) for g in population]
    history = [max(s for s, _ in scored)]
    for _ in range(gens):
        elite = [g for _, g in sorted(scored, key=lambda t: -t[0])[:parents]]
        half = (pop - 1) // 2
        children = [equal[:]]
        while len(children) < half:
            a, b = rnd.sample(elite, 2) if len(elite) > 1 else (elite[0], elite[0])
            children.append([x if rnd.random() < 0.5 else y for x, y in zip(a, b)])
        while len(children) < 2 * half:
            parent = rnd.choice(elite)
            children.append([v * (1 + rnd.gauss(0, 1)) if rnd.random() < mut else v for v in parent])
        while len(children) < pop:
            children.append([rnd.random() for _ in range(genes)])
        pool = [(score(g), g) for g in children] + [(score(g), g) for g in elite]
        scored = sorted(pool, key=lambda t: -t[0])
        history.append(scored[0][0])
    best = max(cache.items(), key=lambda kv: kv[1])
    return list(best[0]), history, len(cache)


def run(args, seed, net0, data):
    torch.manual_seed(seed)
    x_cal, y_cal, x_val, y_val, x_test, y_test, black = data
    net = net0
    dense_state = {k: v.clone() for k, v in net.state_dict().items()}
    teacher_val, teacher_test = logits_of(net, x_val), logits_of(net, x_test)
    out = {"seed": seed, "dense": {"val": top1(teacher_val, y_val), "test": top1(teacher_test, y_test)}}
    layers = net.prunable
    params = [net.params_[k].numel() for _, k, _ in layers]
    p = args.sparsity
    t0 = time.time()
    nm = None
    if args.pattern != "unstructured":
        nm = tuple(int(v) for v in args.pattern.split(":"))
        plan = {k: (("nm", nm[0], nm[1]) if nm_fits(net, k, kind, nm[1]) else ("mag", 1 - nm[0] / nm[1])) for _, k, kind in layers}
        sparsities = None
        out["search"] = None
    else:
        def fitness(genome):
            s = genome_sparsities(genome, params, p, args.delta)
            net.load_state_dict(dense_state)
            net.masks = {}
            with torch.no_grad():
                for (_, k, _), sl in zip(layers, s):
                    net.params_[k].mul_(magnitude_mask(net.params_[k], sl))
            reestimate_bn(net, x_cal, args.batch, args.bn_noise, seed + 29)
            z = logits_of(net, x_cal)
            return top1(z, y_cal) - 1e-4 * kl_mean(teacher_cal, z)
        teacher_cal = logits_of(net, x_cal)
        genome, history, evals = search(fitness, len(layers), args.population, args.generations, args.parents, args.mutation, seed)
        sparsities = genome_sparsities(genome, params, p, args.delta)
        plan = {k: ("mag", s) for (_, k, _), s in zip(layers, sparsities)}
        out["search"] = {"evaluations": evals, "bestFitness": history[-1], "sparsities": dict(zip([n for n, _, _ in layers], sparsities))}
    out["searchSeconds"] = time.time() - t0

    # One-shot: masks on the dense weights + BN re-estimation.
    net.load_state_dict(dense_state)
    masks = make_masks(net, plan)
    with torch.no_grad():
        for k, m in masks.items():
            net.params_[k].mul_(m)
    reestimate_bn(net, x_cal, args.batch, args.bn_noise, seed + 31)
    one_val, one_test = logits_of(net, x_val), logits_of(net, x_test)
    out["oneShot"] = {"val": top1(one_val, y_val), "test": top1(one_test, y_test)}
    one_shot_state = {k: v.clone() for k, v in net.state_dict().items()}

    # DST from the dense weights under the masks (pruned weights keep their values).
    net.load_state_dict(dense_state)
    teacher = Net(*args.model_parts)
    teacher.eval()
    for q in teacher.parameters():
        q.requires_grad_(False)
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=args.weight_decay)
    n = x_cal.shape[0]
    per_epoch = math.ceil(n / args.batch)
    total = args.epochs * per_epoch
    warm = round(per_epoch * 1)
    eval_at = {round(i * total / args.evals) for i in range(1, args.evals + 1)}
    gen = torch.Generator().manual_seed(seed + 1)
    best = (out["oneShot"]["val"], -kl_mean(teacher_val, one_val), -1, one_shot_state)
    step, since_best, stopped = 0, 0, None
    T = args.temperature
    t1 = time.time()
    for epoch in range(args.epochs):
        tau = args.tau0 * args.gamma ** epoch
        order = torch.randperm(n, generator=gen)
        for b in range(per_epoch):
            idx = order[b * args.batch:(b + 1) * args.batch]
            net.masks = make_masks(net, plan)
            x = augment(x_cal[idx], gen, black) if args.augment else x_cal[idx]
            lr = args.lr * (step + 1) / warm if step < warm else 0.5 * args.lr * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))
            for g in opt.param_groups:
                g["lr"] = lr
            with torch.no_grad():
                pt = F.softmax(teacher(x) / T, 1)
            net.train()
            zs = net(x)
            loss = T * T * (pt * (torch.log(pt + 1e-30) - F.log_softmax(zs / T, 1) / tau)).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            with torch.no_grad():
                for k, m in net.masks.items():
                    w = net.params_[k]
                    w.grad.add_(args.lam * (1 - m) * w)
            opt.step()
            step += 1
            if not math.isfinite(loss.item()):
                stopped = f"diverged at step {step}"
                break
            if step in eval_at:
                masks = make_masks(net, plan)
                saved = {k: v.clone() for k, v in net.state_dict().items()}
                with torch.no_grad():
                    for k, m in masks.items():
                        net.params_[k].mul_(m)
                net.masks = {}
                reestimate_bn(net, x_cal, args.batch, args.bn_noise, seed + 31)
                zv = logits_of(net, x_val)
                score = (top1(zv, y_val), -kl_mean(teacher_val, zv))
                if score > best[:2]:
                    best = (score[0], score[1], step, {k: v.clone() for k, v in net.state_dict().items()})
                    since_best = 0
                else:
                    since_best += 1
                net.load_state_dict(saved)
                if args.patience and since_best >= args.patience:
                    stopped = f"no validation gain in {args.patience} evaluations, stopped at step {step} of {total}"
                    break
        if stopped:
            break
    out["trainSeconds"] = time.time() - t1
    out["steps"] = step
    out["stopped"] = stopped
    net.masks = {}
    net.load_state_dict(best[3])
    out["returned"] = "one-shot" if best[2] < 0 else "trained"
    out["bestStep"] = best[2]
    out["final"] = {"val": best[0], "test": top1(logits_of(net, x_test), y_test)}
    net.load_state_dict(dense_state)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True)
    ap.add_argument("--calib", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--sparsity", type=float, default=0.5)
    ap.add_argument("--pattern", default="unstructured")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--population", type=int, default=25)
    ap.add_argument("--generations", type=int, default=25)
    ap.add_argument("--parents", type=int, default=10)
    ap.add_argument("--mutation", type=float, default=0.1)
    ap.add_argument("--delta", type=float, default=0.05)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--lam", type=float, default=5e-5)
    ap.add_argument("--temperature", type=float, default=4)
    ap.add_argument("--tau0", type=float, default=8)
    ap.add_argument("--gamma", type=float, default=0.99)
    ap.add_argument("--bn-noise", type=float, default=0.01)
    ap.add_argument("--evals", type=int, default=10)
    ap.add_argument("--patience", type=int, default=0)
    ap.add_argument("--no-augment", dest="augment", action="store_false")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    layers, weights, prep = load_tfjs(args.model)
    args.model_parts = (layers, weights)
    net = Net(layers, weights)
    size = next(l["config"]["batch_input_shape"][1] for l in layers if "batch_input_shape" in l["config"])
    load = lambda d: load_folder(d, size)
    (xc, yc), (xv, yv), (xt, yt) = load(args.calib), load(args.val), load(args.test)
    black = preprocess(np.zeros((1, 1, 1, 3), np.uint8), prep)
    data = (preprocess(xc, prep), yc, preprocess(xv, prep), yv, preprocess(xt, prep), yt, black)
    runs = []
    for s in args.seeds:
        r = run(args, s, net, data)
        runs.append(r)
        print(json.dumps({k: r[k] for k in ("seed", "dense", "oneShot", "final", "returned", "stopped", "searchSeconds", "trainSeconds")}), file=sys.stderr)

    def agg(f):
        vals = [f(r) for r in runs]
        return {"mean": statistics.mean(vals), "min": min(vals), "max": max(vals), "values": vals}

    summary = {
        "settings": {k: v for k, v in vars(args).items() if k != "model_parts"},
        "images": {"calibration": len(yc), "validation": len(yv), "test": len(yt)},
        "torch": torch.__version__,
        "testTop1": {w: agg(lambda r, w=w: r[w]["test"]) for w in ("dense", "oneShot", "final")},
        "valTop1": {w: agg(lambda r, w=w: r[w]["val"]) for w in ("dense", "oneShot", "final")},
        "runs": runs,
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
