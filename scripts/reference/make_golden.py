#!/usr/bin/env python3
"""Collects outputs of unipts_ref.py into the checked-in golden file the studio is tested against.

  /usr/bin/python3 scripts/reference/make_golden.py demo-90=.cache/quality/ref/demo-90.json \
      demo-2:4=.cache/quality/ref/demo-24.json > scripts/reference/golden/demo-cifar10.json
"""
import json
import sys


def main():
    cases = {}
    for arg in sys.argv[1:]:
        case, path = arg.split("=", 1)
        r = json.load(open(path))
        s = r["settings"]
        cases[case] = {
            "command": (
                f"/usr/bin/python3 scripts/reference/unipts_ref.py --model {s['model']} --calib {s['calib']} --val {s['val']} "
                f"--test {s['test']} --sparsity {s['sparsity']} --pattern {s['pattern']} --lr {s['lr']} --seeds {' '.join(map(str, s['seeds']))}"
            ),
            "settings": {k: s[k] for k in ("sparsity", "pattern", "population", "generations", "parents", "epochs", "batch", "lr",
                                             "weight_decay", "lam", "temperature", "tau0", "gamma", "bn_noise", "evals", "patience", "augment")},
            "images": r["images"],
            "torch": r["torch"],
            "testTop1": r["testTop1"],
            "valTop1": r["valTop1"],
            "returned": [x["returned"] for x in r["runs"]],
            "seconds": [round(x["searchSeconds"] + x["trainSeconds"], 1) for x in r["runs"]],
        }
    json.dump({
        "what": "Independent PyTorch reference (scripts/reference/unipts_ref.py) on the demo CNN with official CIFAR-10 test images "
                "outside the demo's 300: 400 calibration, 100 validation, 9,200 test (scripts/quality/cases.ts). "
                "Test top-1 of the dense, one-shot (searched or N:M) and returned models over the seeds.",
        "cases": cases,
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
