"""A quick screen of checkpoints on the six real wallpapers of docs/real: the shape figures that
docs/real/make-pictures.ts reports, computed here from the network's output alone (no lift, no world),
so a dozen checkpoints take seconds instead of minutes each. Use it to pick candidates; judge them with
make-pictures.ts (the world the app builds: its figures differ, e.g. its land stops at 100 m).

Per photo (fov 60, the photo at long side 128, as sky_real.py and the app feed it):
  p50 / p90   non-sky depth percentiles, metres (sky: sky output > 0.5)
  sky         share of the picture the network calls sky
  rise        slope of a plane y = a z + b x + c fitted to the bottom 30% of rows' non-sky points in the
              camera frame (Y up, z ahead): atan(a) in degrees, ~0 for level ground seen by a level camera
              (make-pictures.ts's groundPlane)

  /usr/bin/python3 training/real_shape.py runs/cpu-sky2/shipped-431.pt runs/cpu-proc/step-*.pt
"""
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import load_model  # noqa: E402
from predict import load_photo  # noqa: E402

PHOTOS = ['EveningGlow', 'Path', 'BytheWater', 'ColorfulCups', 'FallenLeaf', 'Grey']
FOV = 60.0


def ground_rise(depth, sky, fov=FOV):
    """Degrees the bottom-30% plane rises away from the camera (see the module docstring)."""
    h, w = depth.shape
    f = h / 2 / math.tan(math.radians(fov) / 2)
    ys, xs = np.mgrid[int(0.7 * h):h, 0:w]
    z = depth[ys, xs]
    keep = (~sky[ys, xs]) & (z > 0)
    z, xs, ys = z[keep], xs[keep], ys[keep]
    if len(z) < 3:
        return float('nan')
    a = np.stack([z, (xs + 0.5 - w / 2) / f * z, np.ones_like(z)], 1)
    up = -(ys + 0.5 - h / 2) / f * z
    coef = np.linalg.lstsq(a, up, rcond=None)[0]
    return math.degrees(math.atan(coef[0]))


@torch.no_grad()
def shape(model, path):
    photo = load_photo(path, 128)
    log_d, _, _, sky = model(torch.from_numpy(photo).permute(2, 0, 1)[None], torch.tensor([FOV]))
    d = log_d[0, 0].exp().numpy()
    s = sky[0, 0].numpy() > 0.5
    land = d[~s] if (~s).any() else np.array([np.nan])
    return dict(p50=float(np.percentile(land, 50)), p90=float(np.percentile(land, 90)), sky=float(s.mean()),
                rise=ground_rise(d, s))


def main(argv):
    torch.set_num_threads(1)
    photos = [(n, f'/usr/share/wallpapers/{n}/contents/images/2560x1600.jpg') for n in PHOTOS]
    photos = [(n, p) for n, p in photos if os.path.exists(p)]
    print('checkpoint | ' + ' | '.join(f'{n}: p50 p90 sky% rise' for n, _ in photos))
    for ckpt in argv:
        model, _ = load_model(ckpt)
        cells = [shape(model, p) for _, p in photos]
        print(os.path.relpath(ckpt) + ' | ' + ' | '.join(f'{c["p50"]:.1f} {c["p90"]:.1f} {100 * c["sky"]:.0f} {c["rise"]:.0f}' for c in cells), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
