"""Evaluate a checkpoint on the held-out split (scene seeds >= 1e9, never trained on).

  /usr/bin/python3 training/evaluate.py --ckpt training/runs/main/best.pt --out training/runs/main/metrics.json

Reports AbsRel and delta1, metric (as predicted, metres) and median-scaled, for
  model           the network given the true vertical field of view
  model_fov60     the network given 60 degrees (what it gets when the photo's FoV is unknown)
  constant        every pixel at the median depth of the training data (the baseline to beat)
overall and per scene kind, plus normal error (mean angle, degrees) and sky-mask accuracy.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dataset import load_shards, to_tensors  # noqa: E402
from metrics import depth_metrics  # noqa: E402
from model import DEFAULT_FOV, load_net  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def shards(root):
    return sorted(p for p in glob.glob(os.path.join(root, 'shard_*.npz')) if not p.endswith('.tmp.npz'))


def load_model(path, device='cpu'):
    ck = torch.load(path, map_location=device, weights_only=False)
    m = load_net(ck['model']).to(device)
    m.eval()
    return m, ck.get('state', {})


@torch.no_grad()
def predict(model, image, fov, bs=16):
    outs = [model(image[i:i + bs], fov[i:i + bs]) for i in range(0, len(image), bs)]
    return [torch.cat([o[k] for o in outs]) for k in range(4)]


def train_median_depth(train_root, max_shards=20):
    ds = []
    for p in shards(train_root)[:max_shards]:
        with np.load(p) as z:
            d = np.nan_to_num(z['depth'].astype(np.float32), posinf=1000.0)
            ds.append(d[d > 0][::7])
    return float(np.median(np.concatenate(ds))) if ds else 4.0


def evaluate(ckpt, test_root, train_root, threads=1):
    torch.set_num_threads(threads)
    model, state = load_model(ckpt)
    if not shards(test_root) and os.path.basename(os.path.normpath(test_root)) == 'test':
        from scenes.generate import ensure_split
        ensure_split(test_root, 'test')
    paths = shards(test_root)
    raw = load_shards(paths)
    kinds = np.concatenate([np.load(p)['kind'] for p in paths])
    image, depth, normal, fov = to_tensors(raw['rgb'], raw['depth'], raw['normal'], raw['fov'])
    log_d, _, n_pred, sky = predict(model, image, fov)
    log_d60 = predict(model, image, torch.full_like(fov, DEFAULT_FOV))[0]
    const = train_median_depth(train_root)
    mask = depth > 0
    cos = (n_pred * normal).sum(1, keepdim=True).clamp(-1, 1)
    res = dict(checkpoint=os.path.abspath(ckpt), trained_steps=state.get('step'), trained_images=state.get('images'),
               trained_minutes=round(state.get('elapsed', 0) / 60, 1), test_images=len(image),
               test_split=f'scene seeds >= 1e9 ({len(paths)} shards)', constant_depth_m=const,
               model=depth_metrics(log_d.exp(), depth),
               model_fov60=depth_metrics(log_d60.exp(), depth),
               constant=depth_metrics(torch.full_like(depth, const), depth),
               normal_mean_angle_deg=float(torch.rad2deg(torch.acos(cos[mask])).mean()),
               sky_accuracy=float(((sky > 0.5) == ~mask).float().mean()),
               per_kind={})
    for k in sorted(set(kinds)):
        sel = torch.from_numpy(kinds == k)
        res['per_kind'][k] = dict(images=int(sel.sum()), model=depth_metrics(log_d[sel].exp(), depth[sel]),
                                  constant=depth_metrics(torch.full_like(depth[sel], const), depth[sel]))
    return res


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', default=os.path.join(HERE, 'runs', 'main', 'best.pt'))
    ap.add_argument('--test', default=os.path.join(HERE, 'data', 'test'))
    ap.add_argument('--train', default=os.path.join(HERE, 'data', 'train'))
    ap.add_argument('--out', default=None, help='JSON path (default: next to the checkpoint)')
    ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args(argv)
    res = evaluate(a.ckpt, a.test, a.train, a.threads)
    out = a.out or os.path.splitext(a.ckpt)[0] + '.metrics.json'
    with open(out, 'w') as f:
        json.dump(res, f, indent=1)
    short = {k: res[k] for k in ('model', 'model_fov60', 'constant')}
    print(json.dumps(short, indent=1))
    print('wrote', out)


if __name__ == '__main__':
    main()
