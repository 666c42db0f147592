#!/usr/bin/env bash
# Runs the golden-value scripts with real Keras 3 on its NumPy backend and writes
# test/fixtures/keras/<module>.json. See README.md in this folder.
#   KERAS_SRC=<dir made by prepare.py> scripts/keras-golden/run.sh [module ...]
# With no module, every *.py here except common.py and prepare.py runs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${KERAS_SRC:?set KERAS_SRC to the folder prepare.py wrote (it holds keras/ and keras-commit.txt)}"
export KERAS_HOME=$(mktemp -d)      # nothing is written to ~/.keras
export KERAS_GOLDEN_COMMIT=$(cat "$KERAS_SRC/keras-commit.txt")
export PYTHONPATH="$here/shims:$here/shims/torch_compat:$KERAS_SRC"
cd "$here"
if [ $# -eq 0 ]; then
  set -- $(ls *.py | grep -v -e '^common.py$' -e '^prepare.py$' | sed 's/\.py$//')
fi
for module in "$@"; do
  # NEP 50 "weak" promotion: what users of NumPy >= 2 get (NumPy 1.24 would promote
  # float32 scalars combined with Python floats to float64).
  # A module whose first line says "(keras-golden: torch)" runs on Keras's torch backend (conv,
  # pooling: the NumPy backend needs JAX for them), with the torch-1.13 compat shim imported first.
  if head -n 1 "$module.py" | grep -q 'keras-golden: torch'; then export KERAS_BACKEND=torch; else export KERAS_BACKEND=numpy; fi
  /usr/bin/python3 -c 'import os, numpy as np; os.environ["KERAS_BACKEND"] == "torch" and __import__("keras_torch_compat"); np._set_promotion_state("weak"); import sys, runpy; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name="__main__")' "$module.py"
done
