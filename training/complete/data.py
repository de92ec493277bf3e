"""Training and evaluation pairs for the completion model, from the cached scene shards.

Every scene in a shard was rendered from several nearby poses (scenes/generate.py), so every ordered
pair (A, B) of its views is a sample: input = A forward-warped into B (warp.py), truth = B's exact
render. Sources are reduced to the training resolution first (colour by 2x2 means, depth by taking
one sample of each 2x2 block, so no depth is invented across an edge); the FoV does not change.
"""
import glob
import os

import numpy as np
import torch

from .warp import extra_holes, forward_warp, scene_pairs

DEPTH_MAX = 1000.0


def load_views(root, max_shards=None):
    paths = sorted(p for p in glob.glob(os.path.join(root, 'shard_*.npz')) if not p.endswith('.tmp.npz'))
    if max_shards:
        paths = paths[:max_shards]
    parts = {k: [] for k in ('rgb', 'depth', 'pose', 'fov', 'seed', 'view')}
    for p in paths:
        with np.load(p) as z:
            for k in parts:
                parts[k].append(z[k])
    if not paths:
        raise FileNotFoundError(f'no shards in {root}')
    d = {k: np.concatenate(v) for k, v in parts.items()}
    dep = np.nan_to_num(d['depth'].astype(np.float32), posinf=DEPTH_MAX)
    d['depth'] = np.where(dep > 0, np.clip(dep, 0.05, DEPTH_MAX), 0).astype(np.float32)
    d['pairs'] = scene_pairs(d['seed'], d['view'])
    return d


def reduce(rgb, depth, f):
    if f == 1:
        return rgb.astype(np.float32) / 255.0, depth
    h, w = depth.shape
    r = rgb.astype(np.float32).reshape(h // f, f, w // f, f, 3).mean(axis=(1, 3)) / 255.0
    return r, depth[::f, ::f].copy()


def make_pair(views, a, b, size, rng=None, holes_p=0.6):
    """One sample at size x size: (rgb, log_depth, hole, sky, fov, true_rgb, true_depth), numpy."""
    f = views['rgb'].shape[1] // size
    rgb_a, dep_a = reduce(views['rgb'][a], views['depth'][a], f)
    rgb_b, dep_b = reduce(views['rgb'][b], views['depth'][b], f)
    fov = float(views['fov'][b])
    rgb, dep, hole = forward_warp(rgb_a, dep_a, views['pose'][a], views['pose'][b], fov)
    if rng is not None:
        hole = extra_holes(rng, hole, holes_p)
    sky = (~hole) & (dep <= 0)
    rgb = np.where(hole[..., None], 0.0, rgb).astype(np.float32)
    logd = np.where((~hole) & (dep > 0), np.log(np.maximum(dep, 1e-3)), 0.0).astype(np.float32)
    return rgb, logd, hole, sky, fov, rgb_b, dep_b


def to_batch(samples, flip=None):
    rgb, logd, hole, sky, fov, t_rgb, t_dep = zip(*samples)
    t = lambda x, c: torch.from_numpy(np.stack(x).astype(np.float32)).view(len(x), *np.stack(x).shape[1:3], c).permute(0, 3, 1, 2).contiguous()
    out = dict(image=t(rgb, 3), log_depth=t(logd, 1), hole=t(hole, 1), sky=t(sky, 1),
               fov=torch.tensor(fov, dtype=torch.float32), true_rgb=t(t_rgb, 3), true_depth=t(t_dep, 1))
    if flip is not None and flip.any():
        fl = torch.from_numpy(flip)
        for k, v in out.items():
            if v.dim() == 4:
                v[fl] = v[fl].flip(3)
    return out


def fixed_pairs(views, n, seed):
    """A fixed, seeded choice of pairs (evaluation)."""
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(views['pairs']))[:n]
    return [views['pairs'][i] for i in sorted(idx)]
