"""Golden values for keras-like's image utilities, from real Keras 3 and Pillow.

Run from the repository root with the team's Keras 3 recipe (NumPy backend; Debian's python3-pil):

    /work/ref/keras-python scripts/keras-golden/images.py

It writes small PNG and JPEG files made by Pillow to test/fixtures/keras/images/ and, in
test/fixtures/keras/images.json, what `keras.utils.load_img` + `img_to_array` give for them
under each color mode, target size, interpolation and `keep_aspect_ratio`, and what
`array_to_img` gives for a few arrays. Nothing in the repo runs Python at test time.
"""
import json
import pathlib
import os

import numpy as np

os.chdir(pathlib.Path(__file__).resolve().parents[2])
COMMIT = os.environ.get("KERAS_GOLDEN_COMMIT") or open("/work/ref/keras-commit.txt").read().strip()
import PIL
from PIL import Image

import keras

OUT = "test/fixtures/keras/images"
os.makedirs(OUT, exist_ok=True)
rng = np.random.RandomState(0)


def smooth(h, w, c):
    # A gradient plus noise: resampling filters then see both edges and flat regions.
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack([(xx * 255 / max(w - 1, 1)), (yy * 255 / max(h - 1, 1)), ((xx + yy) * 127 / (h + w))], -1)
    return np.clip(base[..., :c] + rng.randint(-40, 40, (h, w, c)), 0, 255).astype("uint8") if c <= 3 else None


files = {}
rgb = smooth(9, 13, 3)
Image.fromarray(rgb, "RGB").save(f"{OUT}/rgb.png")
files["rgb.png"] = "RGB 13x9"
rgba = np.concatenate([smooth(7, 11, 3), rng.randint(0, 256, (7, 11, 1)).astype("uint8")], -1)
rgba[0, 0, 3] = 0
rgba[0, 1, 3] = 255
Image.fromarray(rgba, "RGBA").save(f"{OUT}/rgba.png")
files["rgba.png"] = "RGBA 11x7, random alpha"
gray = smooth(6, 10, 1)[..., 0]
Image.fromarray(gray, "L").save(f"{OUT}/gray.png")
files["gray.png"] = "L 10x6"
gray16 = (rng.randint(0, 65536, (5, 8))).astype("uint16")
Image.fromarray(gray16.astype("int32"), "I").save(f"{OUT}/gray16.png")
files["gray16.png"] = "16-bit gray 8x5"
la = np.stack([gray, rng.randint(0, 256, gray.shape).astype("uint8")], -1)
Image.fromarray(la, "LA").save(f"{OUT}/la.png")
files["la.png"] = "LA 10x6"
palette = Image.fromarray(rgb, "RGB").quantize(colors=5)
palette.info["transparency"] = 2
palette.save(f"{OUT}/palette.png", transparency=2)
files["palette.png"] = "P 13x9, 5 colours, index 2 transparent"
photo = smooth(12, 16, 3)
Image.fromarray(photo, "RGB").save(f"{OUT}/photo.jpg", quality=90)
files["photo.jpg"] = "JPEG RGB 16x12, quality 90"
Image.fromarray(gray, "L").save(f"{OUT}/gray.jpg", quality=90)
files["gray.jpg"] = "JPEG gray 10x6, quality 90"

cases = []


def record(name, **kwargs):
    img = keras.utils.load_img(f"{OUT}/{name}", **kwargs)
    x = keras.utils.img_to_array(img)
    cases.append({"file": name, "kwargs": kwargs, "mode": img.mode, "size": list(img.size), "shape": list(x.shape),
                  "values": x.astype("int64").ravel().tolist()})


for name in files:
    for color_mode in ["grayscale", "rgb", "rgba"]:
        record(name, color_mode=color_mode)
for name in ["rgb.png", "rgba.png", "gray.png", "gray16.png"]:
    color_mode = {"rgb.png": "rgb", "rgba.png": "rgba", "gray.png": "grayscale", "gray16.png": "grayscale"}[name]
    for target_size in [(4, 5), (11, 19), (9, 6)]:
        for interpolation in ["nearest", "bilinear", "bicubic", "hamming", "box", "lanczos"]:
            record(name, color_mode=color_mode, target_size=target_size, interpolation=interpolation)
    for interpolation in ["nearest", "bilinear"]:
        record(name, color_mode=color_mode, target_size=(4, 4), interpolation=interpolation, keep_aspect_ratio=True)
        record(name, color_mode=color_mode, target_size=(3, 7), interpolation=interpolation, keep_aspect_ratio=True)

array_cases = []
for shape, scale in [((3, 4, 3), True), ((3, 4, 1), True), ((2, 5, 4), False), ((2, 2, 1), False)]:
    x = (rng.uniform(-3, 300, shape)).astype("float32")
    if not scale:
        x = np.abs(x) % 256 if shape[2] != 1 else x * 10
    img = keras.utils.array_to_img(x, scale=scale)
    array_cases.append({"x": x.ravel().tolist(), "shape": list(shape), "scale": scale, "mode": img.mode,
                        "values": np.asarray(img).astype("int64").ravel().tolist()})

with open("test/fixtures/keras/images.json", "w") as f:
    json.dump({"keras_version": keras.__version__, "keras_commit": COMMIT,
               "numpy_version": np.__version__, "pillow_version": PIL.__version__, "files": files,
               "load_img": cases, "array_to_img": array_cases}, f)
    f.write("\n")
print(f"wrote {len(cases)} load_img cases and {len(array_cases)} array_to_img cases")
