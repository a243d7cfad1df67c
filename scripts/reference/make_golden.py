#!/usr/bin/env python3
"""Collects the per-seed lines unipts_ref.py prints on stderr into the checked-in golden file the
studio is tested against. Each argument is CASE=LOG[@THREADS][,LOG...] (a case's seeds may
come from several runs, on 1 or 2 torch threads); the settings are the reference's defaults unless the command says otherwise.

  /usr/bin/python3 scripts/reference/make_golden.py 'demo-90=a.log,b.log' 'demo-2:4=c.log' > golden.json
"""
import json
import statistics
import sys

COMMANDS = {
    "demo-90": "--sparsity 0.9 --lr 0.01",
    "demo-2:4": "--pattern 2:4 --lr 0.01",
}


def agg(vals):
    return {"mean": statistics.mean(vals), "min": min(vals), "max": max(vals), "values": vals}


def main():
    cases = {}
    for arg in sys.argv[1:]:
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
            "command": "/usr/bin/python3 scripts/reference/unipts_ref.py --model public/demo/cifar10/model/model.json "
                       "--calib .cache/quality/cifar/calib --val .cache/quality/cifar/val --test .cache/quality/cifar/test "
                       f"{COMMANDS.get(case, '')} --seeds S --threads N",
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
    json.dump({
        "what": "Independent PyTorch reference (scripts/reference/unipts_ref.py, Debian torch 1.13, CPU) on the demo CNN with official "
                "CIFAR-10 test images outside the demo's 300: 400 calibration, 100 validation, 9,200 test (scripts/quality/cases.ts). "
                "Test top-1 of the dense, one-shot (searched, or N:M) and returned models over the seeds.",
        "cases": cases,
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
