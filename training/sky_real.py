"""How a checkpoint's sky output does on the photographed skies held out of training (sky_photos.HOLD_OUT).

There is no pixel-exact sky mask for those photos, but sky_photos.py measured, per photo, the top share
of its height that is sky and nothing else (within the columns kept). So:
  - sky recall: the share of pixels in that box that the model calls sky (sky output > 0.5), should be ~1;
  - false sky: the share of pixels in the photo's bottom half (water, beach, jetty: never sky in these
    photos) that the model calls sky, should be ~0.
The photo goes in at the shipped model's size (long side 128, each side resized to a multiple of 16 by
predict.load_photo, which stretches where the app pads; fov 60).

  /usr/bin/python3 training/sky_real.py runs/cpu-sky/best.pt runs/cpu-swap/best.pt
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import load_model  # noqa: E402
from model import DEFAULT_FOV  # noqa: E402
from predict import load_photo  # noqa: E402
from scenes.sky_photos import HOLD_OUT, SKY_PHOTOS, photo_name  # noqa: E402


def held_out_photos():
    for path, frac, x0, x1, _ in SKY_PHOTOS:
        name = photo_name(path)
        if name in HOLD_OUT and os.path.exists(path):
            yield name, path, frac, x0, x1


@torch.no_grad()
def sky_scores(model, path, frac, x0, x1, long_side=128):
    photo = load_photo(path, long_side)
    h, w, _ = photo.shape
    sky = model(torch.from_numpy(photo).permute(2, 0, 1)[None], torch.tensor([DEFAULT_FOV]))[3][0, 0].numpy() > 0.5
    box = sky[:int(frac * h), int(x0 * w):int(round(x1 * w))]
    return float(box.mean()), float(sky[h // 2:].mean())


def main(argv):
    torch.set_num_threads(1)
    photos = list(held_out_photos())
    print('checkpoint | ' + ' | '.join(f'{n}: sky recall / false sky' for n, *_ in photos))
    for ckpt in argv:
        model, _ = load_model(ckpt)
        cells = [sky_scores(model, p, f, a, b) for _, p, f, a, b in photos]
        print(ckpt + ' | ' + ' | '.join(f'{r:.3f} / {fa:.3f}' for r, fa in cells))


if __name__ == '__main__':
    main(sys.argv[1:])
