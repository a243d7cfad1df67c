#!/usr/bin/env python3
"""Collects the per-seed lines unipts_ref.py prints on stderr into the checked-in golden file the
studio is tested against. Each argument is CASE=LOG[@THREADS][,LOG...] (a case's seeds may
come from several runs, on 1 or 2 torch threads); the settings are the reference's defaults unless the command says otherwise.

  /usr/bin/python3 scripts/reference/make_golden.py 'demo-90=a.log,b.log' 'demo-2:4=c.log' > golden/demo-cifar10.json
  /usr/bin/python3 scripts/reference/make_golden.py --file bnfree 'cnn-90=d.log' 'mlp-90=e.log' > golden/bnfree.json
"""
import json
import statistics
import sys

CIFAR = "--calib .cache/quality/cifar/calib --val .cache/quality/cifar/val --test .cache/quality/cifar/test"
FASHION = "--calib .cache/quality/fashion/calib --val .cache/quality/fashion/val --test .cache/quality/fashion/test"
DEMO = f"--model public/demo/cifar10/model/model.json {CIFAR}"
CNN = f"--model assets/bnfree/cifar-cnn/model.json {CIFAR}"
MLP = f"--model assets/bnfree/fashion-mlp/model.json {FASHION}"
COMMANDS = {
    "demo-90": f"{DEMO} --sparsity 0.9 --lr 0.01",
    "demo-2:4": f"{DEMO} --pattern 2:4 --lr 0.01",
    "cnn-90": f"{CNN} --sparsity 0.9 --lr 0.01",
    "cnn-2:4": f"{CNN} --pattern 2:4 --lr 0.01",
    "mlp-90": f"{MLP} --sparsity 0.9 --lr 0.01",
}
WHAT = {
    "demo-cifar10": "Independent PyTorch reference (scripts/reference/unipts_ref.py, Debian torch 1.13, CPU) on the demo CNN with official "
                    "CIFAR-10 test images outside the demo's 300: 400 calibration, 100 validation, 9,200 test (scripts/quality/cases.ts). "
                    "Test top-1 of the dense, one-shot (searched, or N:M) and returned models over the seeds.",
    "bnfree": "Independent PyTorch reference (scripts/reference/unipts_ref.py, Debian torch 1.13, CPU) on the BatchNorm-free models of "
              "assets/bnfree (scripts/reference/make_bnfree_models.py): the CIFAR-10 CNN on official CIFAR-10 test images outside the "
              "demo's 300 (400 calibration, 100 validation, 9,200 test) and the Fashion-MNIST MLP on the official Fashion-MNIST test "
              "split (400 calibration, 100 validation, 9,500 test), at the best rate of the reference's own sweep (0.003, 0.01, "
              "0.03; recorded by hand under \"sweep\"). Test top-1 of the dense, one-shot (searched, or N:M) and returned models over the seeds.",
}


def agg(vals):
    return {"mean": statistics.mean(vals), "min": min(vals), "max": max(vals), "values": vals}


def main():
    args = sys.argv[1:]
    file = "demo-cifar10"
    if args[:1] == ["--file"]:
        file, args = args[1], args[2:]
    cases = {}
    for arg in args:
        case, logs = arg.split("=", 1)
        runs = []
        for spec in logs.split(","):
            log, _, threads = spec.partition("@")
            for line in open(log):
                line = line.strip()
                if line.startswith("{") and '"seed"' in line:
                    runs.append({**json.loads(line), "threads": int(threads) if threads else None})
        runs.sort(key=lambda r: r["seed"])
        cases[case] = {
            "command": f"/usr/bin/python3 scripts/reference/unipts_ref.py {COMMANDS[case]} --seeds S --threads N",
            "settings": "the reference's defaults: population 25, generations 25, parents 10, mutation 0.1, delta 0.05, "
                        "100 epochs, batch 64, SGD momentum 0.9, weight decay 1e-4, lambda 5e-5, T 4, tau0 8, gamma 0.99, "
                        "BN noise 0.01, 10 validation checks, no early stop, padded-crop + flip augmentation",
            "seeds": [r["seed"] for r in runs],
            # Torch's CPU kernels sum in another order on another thread count: a seed's result moves too.
            "threads": [r["threads"] for r in runs],
            "testTop1": {w: agg([r[w]["test"] for r in runs]) for w in ("dense", "oneShot", "final")},
            "valTop1": {w: agg([r[w]["val"] for r in runs]) for w in ("dense", "oneShot", "final")},
            "returned": [r["returned"] for r in runs],
            "seconds": [round(r["searchSeconds"] + r["trainSeconds"], 1) for r in runs],
        }
    json.dump({"what": WHAT[file], "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
