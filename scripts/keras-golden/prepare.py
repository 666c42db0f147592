"""Extract Keras 3's Python package from a git checkout and make its JAX imports lazy.

    python3 scripts/keras-golden/prepare.py <keras git dir> <commit> <out dir>

writes <out dir>/keras (the package) and <out dir>/keras-commit.txt. The NumPy backend imports
JAX at module level in two files, for fft and conv/pool only; those imports are made lazy here
(no numeric change), so everything else runs without JAX. Conv and pooling still need JAX.
"""

import pathlib
import subprocess
import sys

LAZY_JAX = '''class _Lazy:
    def __init__(self, name): self._name = name
    def __getattr__(self, a):
        import importlib
        return getattr(importlib.import_module(self._name), a)
jax = _Lazy("jax")
lax = _Lazy("jax.lax")
'''


def replace_once(text, old, new, path):
    if text.count(old) != 1:
        sys.exit(f"prepare.py: expected one {old!r} in {path}; Keras changed, update this script")
    return text.replace(old, new)


def main():
    git_dir, commit, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "--git-dir", git_dir, "archive", commit, "keras"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive.stdout, check=True)
    full = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", commit], check=True, capture_output=True, text=True)
    (out / "keras-commit.txt").write_text(full.stdout.strip() + "\n")

    nn = out / "keras/src/backend/numpy/nn.py"
    text = nn.read_text()
    text = replace_once(text, "import jax\n", "", nn)
    text = replace_once(text, "from jax import lax\n", LAZY_JAX, nn)
    nn.write_text(text)

    math = out / "keras/src/backend/numpy/math.py"
    text = math.read_text()
    for name in ("fft", "fft2"):
        line = f"from keras.src.backend.jax.math import {name} as jax_{name}\n"
        text = replace_once(text, line, "", math)
        text = replace_once(
            text,
            f"def {name}(x):\n",
            f"def {name}(x):\n    {line}",
            math,
        )
    math.write_text(text)

    # Torch backend (layers_conv.py): Keras picks torch's pytree when optree is "available", which
    # torch 1.13 lacks; use the dm-tree shim instead (no numeric change).
    tree = out / "keras/src/tree/tree_api.py"
    text = tree.read_text()
    text = replace_once(text, 'if backend() == "torch":\n', 'if backend() == "torch" and optree.available:\n', tree)
    tree.write_text(text)
    print(f"Keras {full.stdout.strip()} extracted to {out}")


if __name__ == "__main__":
    main()
