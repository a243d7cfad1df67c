#!/usr/bin/env python3
"""Independent reference for the studio's quality cases: UniPTS as docs/method.md describes it,
written in PyTorch from the method text (no code shared with the studio).

It reads the same files the studio's CLI reads: a TF.js layers model (model.json + shards) or an
ONNX file (--model ending in .onnx: read with the onnx package, interpreted node by node in torch,
with the studio's suggested 'imagenet' preprocessing) and folders of images (class sub-folders
named by class index, loaded with the model's channel count). Roles are kept apart: calibration
images train and drive the search and BN re-estimation, validation images choose the checkpoint
and the one-shot fallback, test images are scored once at the end and choose nothing.

Usage (Debian's python3-torch is /usr/bin/python3):
  /usr/bin/python3 scripts/reference/unipts_ref.py --model public/demo/cifar10/model/model.json \
      --calib DIR --val DIR --test DIR --sparsity 0.9 [--pattern 2:4] --lr 0.01 --seeds 1 2 3
  (--model assets/resnet-cifar10-onnx/resnet32.onnx for an ONNX model)
Prints one JSON object (per seed and mean/spread) on stdout.
"""
import argparse
import json
import math
import os
import random
import re
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


def same_amounts(x, k, s, d=1):
    """TensorFlow's 'same' padding of an NCHW tensor as F.pad amounts [left, right, top, bottom]
    (the extra pixel goes bottom/right)."""
    h, w = x.shape[2], x.shape[3]
    def amount(n, kk, ss):
        out = math.ceil(n / ss)
        return max((out - 1) * ss + (kk - 1) * d + 1 - n, 0)
    ph, pw = amount(h, k[0], s[0]), amount(w, k[1], s[1])
    return [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2]


def same_pad(x, k, s, d=1):
    """TensorFlow's 'same' padding (the extra pixel goes bottom/right)."""
    return F.pad(x, same_amounts(x, k, s, d))


def tf_pool(x, how, k, s, padding):
    """TensorFlow max ("max") or average ("avg") pooling of an NCHW tensor; 'same' padding is left
    out of both the max and the mean."""
    if padding == "same":
        p = same_amounts(x, k, s)
        if how == "max":
            return F.max_pool2d(F.pad(x, p, value=-math.inf), k, s)
        covered = F.avg_pool2d(F.pad(torch.ones_like(x[:1, :1]), p), k, s)
        return F.avg_pool2d(F.pad(x, p), k, s) / covered
    return F.max_pool2d(x, k, s) if how == "max" else F.avg_pool2d(x, k, s)


class Prunable(torch.nn.Module):
    """What the method needs of a network: parameters by key, the prunable ones listed as
    (model's name, parameter key, kind) with input channels on dim 1, BN layers by key, and masks
    applied in the forward pass."""

    def __init__(self):
        super().__init__()
        self.params_ = torch.nn.ParameterDict()
        self.bns = {}
        self.prunable = []
        self.masks = {}

    def kernel(self, key):
        w = self.params_[key]
        m = self.masks.get(key)
        # Straight-through: forward w * mask, gradient of w * mask passed to all of w.
        return w if m is None else w - (w * (1 - m)).detach()


class Net(Prunable):
    """The chain as PyTorch ops; prunable kernels kept in PyTorch layout with their TF names."""

    def __init__(self, layers, weights):
        super().__init__()
        self.ops = []
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
            elif c in ("MaxPooling2D", "AveragePooling2D"):
                k = tuple(cfg["pool_size"])
                self.ops.append(("pool", "max" if c == "MaxPooling2D" else "avg", k, tuple(cfg.get("strides") or k), cfg["padding"]))
            elif c == "ZeroPadding2D":
                p = cfg["padding"]
                self.ops.append(("zpad", p))
            elif c in ("Dropout", "Reshape", "Flatten"):
                self.ops.append(("flatten",) if c != "Dropout" else ("noop",))
            else:
                raise SystemExit(f"reference: layer class {c} ({name}) is not supported")

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
            elif kind == "pool":
                x = tf_pool(x, *op[1:])
            elif kind == "zpad":
                (t, b), (l, r) = op[1] if isinstance(op[1][0], list) else ((op[1][0], op[1][0]), (op[1][1], op[1][1]))
                x = F.pad(x, [l, r, t, b])
            elif kind == "flatten":  # in TF's NHWC order
                x = (x.permute(0, 2, 3, 1) if x.dim() == 4 else x).reshape(x.shape[0], -1)
        return x


def activation(x, act):
    if act == "relu":
        return F.relu(x)
    if act == "relu6":
        return F.relu6(x)
    if act in ("linear", "softmax"):  # logits: the softmax head is stripped
        return x
    raise SystemExit(f"reference: activation {act} is not supported")


# ONNX ops as torch functions of (attributes, *inputs); a missing optional input is None.

def onnx_conv(a, x, w, b=None):
    if w.dim() != 4 or a.get("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):
        raise SystemExit("reference: only 2-D ONNX Conv with explicit pads is supported")
    t, l, bo, r = a.get("pads", [0, 0, 0, 0])
    if (t, l) != (bo, r):
        x, t, l = F.pad(x, [l, r, t, bo]), 0, 0
    return F.conv2d(x, w, b, a.get("strides", 1), (t, l), a.get("dilations", 1), a.get("group", 1))


def onnx_pool(how):
    def pool(a, x):
        t, l, b, r = a.get("pads", [0, 0, 0, 0])
        if (t, l) != (b, r) or a.get("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):
            raise SystemExit("reference: ONNX pooling with uneven or automatic pads is not supported")
        k, s, ceil = a["kernel_shape"], a.get("strides", 1), bool(a.get("ceil_mode", 0))
        if how == "max":
            return F.max_pool2d(x, k, s, (t, l), a.get("dilations", 1), ceil)
        return F.avg_pool2d(x, k, s, (t, l), ceil, bool(a.get("count_include_pad", 0)))
    return pool


def onnx_gemm(a, x, w, c=None):
    x = x.t() if a.get("transA", 0) else x
    y = a.get("alpha", 1.0) * (x @ (w.t() if a.get("transB", 0) else w))
    return y if c is None else y + a.get("beta", 1.0) * c


def onnx_div(a, x, y):
    integral = not (x.is_floating_point() or y.is_floating_point())
    return torch.div(x, y, rounding_mode="trunc") if integral else x / y


def onnx_clip(a, x, lo=None, hi=None):
    lo = lo.item() if lo is not None else a.get("min")
    hi = hi.item() if hi is not None else a.get("max")
    return torch.clamp(x, lo, hi)


def onnx_slice(a, x, starts, ends, axes=None, steps=None):
    starts, ends = starts.tolist(), ends.tolist()
    axes = list(range(len(starts))) if axes is None else axes.tolist()
    steps = [1] * len(starts) if steps is None else steps.tolist()
    for ax, start, end, step in zip(axes, starts, ends, steps):
        # ONNX clamps starts and ends the way Python's slices do.
        x = x.index_select(ax, torch.arange(*slice(start, end, step).indices(x.shape[ax])))
    return x


def onnx_pad(a, x, pads=None, value=None):
    pads = pads.tolist() if pads is not None else a["pads"]
    value = value.item() if value is not None else a.get("value", 0.0)
    n = len(pads) // 2
    amounts = [p for i in reversed(range(n)) for p in (pads[i], pads[n + i])]  # F.pad: last axis first
    while amounts[-2:] == [0, 0]:
        amounts = amounts[:-2]
    mode = {"constant": "constant", "reflect": "reflect", "edge": "replicate"}[a.get("mode", "constant")]
    return F.pad(x, amounts, mode, value) if mode == "constant" else F.pad(x, amounts, mode)


def onnx_gather(a, x, idx):
    ax = a.get("axis", 0) % x.dim()
    i = idx.long() % x.shape[ax]
    return x.index_select(ax, i.reshape(-1)).reshape(x.shape[:ax] + i.shape + x.shape[ax + 1:])


def onnx_reshape(a, x, shape):
    keep = not a.get("allowzero", 0)
    return x.reshape([x.shape[i] if v == 0 and keep else v for i, v in enumerate(shape.tolist())])


def onnx_unsqueeze(a, x, axes=None):
    axes = axes.tolist() if axes is not None else a["axes"]
    rank = x.dim() + len(axes)
    for ax in sorted(v % rank for v in axes):
        x = x.unsqueeze(ax)
    return x


def onnx_squeeze(a, x, axes=None):
    axes = axes.tolist() if axes is not None else a.get("axes")
    if axes is None:
        return x.squeeze()
    for ax in sorted((v % x.dim() for v in axes), reverse=True):
        x = x.squeeze(ax)
    return x


def onnx_constant_of_shape(a, shape):
    value = a.get("value", torch.zeros(1))
    return torch.full(shape.tolist(), value.item(), dtype=value.dtype)


ONNX_DTYPES = {1: torch.float32, 6: torch.int32, 7: torch.int64, 9: torch.bool, 11: torch.float64}

ONNX_OPS = {
    "Conv": onnx_conv,
    "Relu": lambda a, x: F.relu(x),
    "Add": lambda a, x, y: x + y,
    "Sub": lambda a, x, y: x - y,
    "Mul": lambda a, x, y: x * y,
    "Div": onnx_div,
    "Gemm": onnx_gemm,
    "MatMul": lambda a, x, y: torch.matmul(x, y),
    "AveragePool": onnx_pool("avg"),
    "MaxPool": onnx_pool("max"),
    "GlobalAveragePool": lambda a, x: x.mean(dim=tuple(range(2, x.dim())), keepdim=True),
    "Flatten": lambda a, x: x.reshape(math.prod(x.shape[:a.get("axis", 1)]), -1),
    "Slice": onnx_slice,
    "Pad": onnx_pad,
    "Clip": onnx_clip,
    "Shape": lambda a, x: torch.tensor(x.shape[a.get("start", 0):a.get("end")], dtype=torch.int64),
    "Gather": onnx_gather,
    "Cast": lambda a, x: x.to(ONNX_DTYPES[a["to"]]),
    "ConstantOfShape": onnx_constant_of_shape,
    "Concat": lambda a, *xs: torch.cat(xs, a["axis"]),
    "Reshape": onnx_reshape,
    "Transpose": lambda a, x: x.permute(a.get("perm") or list(reversed(range(x.dim())))),
    "Unsqueeze": onnx_unsqueeze,
    "Squeeze": onnx_squeeze,
    "Constant": lambda a: torch.as_tensor(next(iter(a.values()))),
    "Identity": lambda a, x: x,
}


class OnnxNet(Prunable):
    """An ONNX graph interpreted node by node with the torch ops above (input NHWC like Net's,
    permuted to the graph's NCHW). Prunable: the weight initializer of every Conv, Gemm and MatMul,
    named by that initializer and kept with input channels on dim 1: Conv [out, in/group, kh, kw]
    as ONNX has it, Gemm and MatMul weights as [out, in] (a [in, out] weight is stored transposed
    and handed to the graph transposed back). Conv and Gemm biases are trained, not pruned. Nodes
    that depend on initializers and constants alone are folded once, here; the shape subgraph of
    the running tensors (Shape of an activation, ...) runs per call, so any batch size works."""

    def __init__(self, graph):
        super().__init__()
        from onnx import helper, numpy_helper  # only ONNX models need the onnx package
        init = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
        self.input = next(i.name for i in graph.input if i.name not in init)
        self.output = graph.output[0].name
        self.graph_params = {}  # initializer name -> (parameter key, stored transposed)
        names = {}

        def add_param(name, kind=None, transposed=False):
            if name in self.graph_params or name not in init:
                return
            key = re.sub(r"\W", "_", name)
            if key in names:
                raise SystemExit(f"reference: ONNX initializers {names[key]} and {name} map to one parameter key")
            names[key] = name
            w = init[name]
            self.params_[key] = torch.nn.Parameter((w.t() if transposed else w).contiguous())
            self.graph_params[name] = (key, transposed)
            if kind:
                self.prunable.append((name, key, kind))

        consts = {}
        known = lambda i: not i or i in consts or (i in init and i not in self.graph_params)
        self.steps = []  # (op, attributes, input names, output name)
        for n in graph.node:
            if n.op_type not in ONNX_OPS:
                raise SystemExit(f"reference: ONNX op {n.op_type} ({n.name}) is not supported")
            a = {}
            for att in n.attribute:
                v = helper.get_attribute_value(att)
                a[att.name] = (torch.from_numpy(numpy_helper.to_array(v).copy()) if att.type == att.TENSOR
                               else v.decode() if isinstance(v, bytes) else v)
            ins = list(n.input)
            if n.op_type == "Conv":
                w = init.get(ins[1])
                add_param(ins[1], "depthwise" if a.get("group", 1) > 1 and w is not None and w.shape[1] == 1 else "conv2d")
                if len(ins) > 2 and ins[2]:
                    add_param(ins[2])
            elif n.op_type == "Gemm":
                add_param(ins[1], "dense", not a.get("transB", 0))
                if len(ins) > 2 and ins[2]:
                    add_param(ins[2])
            elif n.op_type == "MatMul" and ins[1] in init and init[ins[1]].dim() == 2:
                add_param(ins[1], "dense", True)
            if all(known(i) for i in ins):
                with torch.no_grad():
                    consts[n.output[0]] = ONNX_OPS[n.op_type](a, *[consts.get(i, init.get(i)) if i else None for i in ins])
            else:
                self.steps.append((n.op_type, a, ins, n.output[0]))
        used = {i for _, _, ins, _ in self.steps for i in ins} | {self.output}
        self.consts = {k: v for k, v in {**init, **consts}.items() if k in used and k not in self.graph_params}

    def forward(self, x):  # x: NHWC preprocessed
        env = dict(self.consts)
        for name, (key, transposed) in self.graph_params.items():
            w = self.kernel(key)
            env[name] = w.t() if transposed else w
        env[self.input] = x.permute(0, 3, 1, 2)
        for op, a, ins, out in self.steps:
            env[out] = ONNX_OPS[op](a, *[env[i] if i else None for i in ins])
        return env[self.output]


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


def load_folder(folder, size, channels):
    """uint8 NHWC images (resize short side + centre crop to `size`, grayscale when `channels` is 1)
    and labels from folder names."""
    xs, ys = [], []
    for cls in sorted(os.listdir(folder)):
        d = os.path.join(folder, cls)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            img = Image.open(os.path.join(d, f)).convert("L" if channels == 1 else "RGB")
            if img.size != (size, size):
                w, h = img.size
                s = size / min(w, h)
                img = img.resize((max(size, round(w * s)), max(size, round(h * s))), Image.BILINEAR)
                w, h = img.size
                img = img.crop(((w - size) // 2, (h - size) // 2, (w - size) // 2 + size, (h - size) // 2 + size))
            xs.append(np.asarray(img, dtype=np.uint8).reshape(size, size, channels))
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
    teacher = args.build()
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


def load_model(path):
    """(build, image size, channels, preprocessing) of a TF.js layers model or, for a path ending
    in .onnx, an ONNX model; build() returns a fresh network holding the file's weights."""
    if path.endswith(".onnx"):
        import onnx  # only ONNX models need the onnx package
        graph = onnx.load(path).graph
        init = {t.name for t in graph.initializer}
        x = next(i for i in graph.input if i.name not in init)
        _, c, h, w = [d.dim_value for d in x.type.tensor_type.shape.dim]
        if not (c and h and h == w):
            raise SystemExit(f"reference: ONNX input {x.name} is not [batch, channels, size, size] with fixed sizes")
        # The studio's suggestion for ONNX files (PyTorch convention): RGB in [0, 1], ImageNet mean/std.
        return (lambda: OnnxNet(graph)), h, c, "imagenet"
    layers, weights, prep = load_tfjs(path)
    shape = next(l["config"]["batch_input_shape"] for l in layers if "batch_input_shape" in l["config"])
    return (lambda: Net(layers, weights)), shape[1], shape[3], prep


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
    args.build, size, channels, prep = load_model(args.model)
    net = args.build()
    load = lambda d: load_folder(d, size, channels)
    (xc, yc), (xv, yv), (xt, yt) = load(args.calib), load(args.val), load(args.test)
    black = preprocess(np.zeros((1, 1, 1, channels), np.uint8), prep)
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
        "settings": {k: v for k, v in vars(args).items() if k != "build"},
        "images": {"calibration": len(yc), "validation": len(yv), "test": len(yt)},
        "torch": torch.__version__,
        "testTop1": {w: agg(lambda r, w=w: r[w]["test"]) for w in ("dense", "oneShot", "final")},
        "valTop1": {w: agg(lambda r, w=w: r[w]["val"]) for w in ("dense", "oneShot", "final")},
        "runs": runs,
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
