#!/usr/bin/env python3
"""Scores a TF.js layers model (or an .onnx file) on a folder of labelled images, independently of
the studio (PyTorch; the loader and preprocessing of unipts_ref.py). Prints JSON: images, correct, top1.

  /usr/bin/python3 scripts/reference/score.py --model out/model/model.json --images DIR
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unipts_ref import load_folder, load_model, logits_of, preprocess  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--images", required=True)
    args = ap.parse_args()
    torch.set_num_threads(2)
    build, size, channels, prep = load_model(args.model)
    net = build()
    x, y = load_folder(args.images, size, channels)
    z = logits_of(net, preprocess(x, prep))
    correct = int((z.argmax(1) == y).sum().item())
    print(json.dumps({"images": len(y), "correct": correct, "top1": correct / len(y)}))


if __name__ == "__main__":
    main()
