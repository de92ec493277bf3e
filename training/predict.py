"""Run a checkpoint on photographs and write a contact sheet: photo | depth (log, near = bright) |
confidence | normals | sky, one row per photo. For looking at real photos, which have no ground truth.

  /usr/bin/python3 training/predict.py --ckpt training/runs/main/best.pt --out /tmp/sheet.png a.jpg b.png
"""
import argparse
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import load_model  # noqa: E402
from model import DEFAULT_FOV  # noqa: E402


def load_photo(path, long_side):
    im = Image.open(path).convert('RGB')
    w, h = im.size
    s = long_side / max(w, h)
    w, h = max(16, round(w * s / 16) * 16), max(16, round(h * s / 16) * 16)
    return np.asarray(im.resize((w, h), Image.BILINEAR), np.float32) / 255.0


@torch.no_grad()
def sheet_row(model, photo, fov):
    x = torch.from_numpy(photo).permute(2, 0, 1)[None]
    log_d, conf, normal, sky = model(x, torch.tensor([fov]))
    d = log_d[0, 0].numpy()
    dn = 1 - (d - d.min()) / (d.max() - d.min() + 1e-6)
    grey = lambda a: np.repeat(a[..., None], 3, 2)  # noqa: E731
    cols = [photo, grey(dn), grey(conf[0, 0].numpy()), normal[0].permute(1, 2, 0).numpy() * 0.5 + 0.5, grey(sky[0, 0].numpy())]
    print(f'depth range {np.exp(d.min()):.2f} .. {np.exp(d.max()):.2f} m, median {np.exp(np.median(d)):.2f} m, '
          f'sky {float((sky > 0.5).float().mean()):.2f}')
    return np.concatenate(cols, 1)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('photos', nargs='+')
    ap.add_argument('--ckpt', default=os.path.join(os.path.dirname(__file__), 'runs', 'main', 'best.pt'))
    ap.add_argument('--out', default='/tmp/worldsplat-sheet.png')
    ap.add_argument('--long-side', type=int, default=128)
    ap.add_argument('--fov', type=float, default=DEFAULT_FOV)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    model, _ = load_model(a.ckpt)
    rows = [sheet_row(model, load_photo(p, a.long_side), a.fov) for p in a.photos]
    w = max(r.shape[1] for r in rows)
    rows = [np.pad(r, ((0, 0), (0, w - r.shape[1]), (0, 0))) for r in rows]
    Image.fromarray((np.clip(np.concatenate(rows, 0), 0, 1) * 255).astype(np.uint8)).save(a.out)
    print('wrote', a.out)


if __name__ == '__main__':
    main()
