"""Training batches from the cached npz shards (training/data/<split>/shard_*.npz).

The pool grows while the generator keeps writing shards: `refresh()` loads shards that appeared since
the last call (the newest are kept if the pool would exceed `max_images`).
Augmentation: random centred-ish crops (the field of view shrinks accordingly), horizontal flips (the
normal's x flips), colour jitter (brightness, contrast, saturation, gamma), sensor noise and blur.
"""
import glob
import os

import numpy as np
import torch

DEPTH_MIN, DEPTH_MAX = 0.05, 1000.0


def load_shards(paths):
    keys = ('rgb', 'depth', 'normal', 'fov')
    parts = {k: [] for k in keys}
    for p in paths:
        with np.load(p) as z:
            for k in keys:
                parts[k].append(z[k])
    return {k: np.concatenate(v) for k, v in parts.items()} if paths else None


class ShardPool:
    def __init__(self, root, max_images=40000, size=None):
        self.root, self.max_images, self.size = root, max_images, size
        self.loaded, self.data = set(), None

    def shard_paths(self):
        pat = f'shard_{self.size}_*.npz' if self.size else 'shard_*.npz'
        return sorted(p for p in glob.glob(os.path.join(self.root, pat)) if not p.endswith('.tmp.npz'))

    def refresh(self):
        new = [p for p in self.shard_paths() if p not in self.loaded]
        if not new:
            return 0
        d = load_shards(new)
        self.loaded.update(new)
        if self.data is None:
            self.data = d
        else:
            self.data = {k: np.concatenate([self.data[k], d[k]])[-self.max_images:] for k in d}
        return len(d['fov'])

    def __len__(self):
        return 0 if self.data is None else len(self.data['fov'])


def to_tensors(rgb, depth, normal, fov):
    """uint8/float16/int8 numpy arrays -> float tensors: image [N,3,H,W] 0..1, depth [N,1,H,W] metres
    (0 = sky), normal [N,3,H,W] unit, fov [N] degrees."""
    image = torch.from_numpy(rgb).permute(0, 3, 1, 2).float() / 255.0
    d = torch.from_numpy(np.nan_to_num(depth.astype(np.float32), posinf=DEPTH_MAX)).unsqueeze(1)
    d = torch.where(d > 0, d.clamp(DEPTH_MIN, DEPTH_MAX), torch.zeros_like(d))
    n = torch.from_numpy(normal).permute(0, 3, 1, 2).float() / 127.0
    n = n / n.norm(dim=1, keepdim=True).clamp_min(1e-6)
    return image, d, n, torch.from_numpy(np.asarray(fov, np.float32))


def augment(rng, image, depth, normal, fov, crop):
    """Same crop size for the whole batch; everything else per image."""
    n, _, h, w = image.shape
    if crop < h:
        out = [[], [], []]
        for i in range(n):
            # mostly centred: the network assumes the principal point at the image centre
            y0 = int(np.clip((h - crop) // 2 + rng.integers(-4, 5), 0, h - crop))
            x0 = int(np.clip((w - crop) // 2 + rng.integers(-4, 5), 0, w - crop))
            for k, t in enumerate((image, depth, normal)):
                out[k].append(t[i:i + 1, :, y0:y0 + crop, x0:x0 + crop])
        image, depth, normal = (torch.cat(o) for o in out)
        fov = 2 * torch.rad2deg(torch.atan(torch.tan(torch.deg2rad(fov) / 2) * crop / h))
    flip = torch.from_numpy(rng.random(n) < 0.5)
    if flip.any():
        image[flip] = image[flip].flip(3)
        depth[flip] = depth[flip].flip(3)
        nf = normal[flip].flip(3)
        nf[:, 0] *= -1
        normal[flip] = nf
    # photometric: gamma, contrast, saturation, brightness, noise, blur
    g = torch.from_numpy(np.exp(rng.normal(0, 0.2, n))).float().view(n, 1, 1, 1)
    image = image.clamp(0, 1) ** g
    mean = image.mean(dim=(1, 2, 3), keepdim=True)
    image = (image - mean) * torch.from_numpy(rng.uniform(0.7, 1.3, n)).float().view(n, 1, 1, 1) + mean
    grey = image.mean(dim=1, keepdim=True)
    image = (image - grey) * torch.from_numpy(rng.uniform(0.5, 1.4, n)).float().view(n, 1, 1, 1) + grey
    image = image * torch.from_numpy(rng.uniform(0.75, 1.25, (n, 3)) ** 0.3).float().view(n, 3, 1, 1)
    image = image + torch.randn_like(image) * torch.from_numpy(rng.uniform(0, 0.03, n)).float().view(n, 1, 1, 1)
    blur = rng.random(n) < 0.3
    if blur.any():
        k = torch.tensor([1.0, 2.0, 1.0]) / 4
        k2 = (k[:, None] * k[None, :]).expand(3, 1, 3, 3).contiguous()
        b = torch.from_numpy(blur)
        image[b] = torch.nn.functional.conv2d(torch.nn.functional.pad(image[b], (1, 1, 1, 1), mode='replicate'), k2, groups=3)
    return image.clamp(0, 1), depth, normal, fov


def half_resolution(image, depth, normal):
    """2x2 downsampling: mean colour (like a camera's larger pixels), the nearest depth/normal sample
    (no averaging across depth edges; sky stays sky)."""
    image = torch.nn.functional.avg_pool2d(image, 2)
    return image, depth[:, :, ::2, ::2].contiguous(), normal[:, :, ::2, ::2].contiguous()


def batch(pool, rng, n, crops=(96, 112, 128), train=True, half_p=0.0):
    """A training batch; with probability half_p the whole batch is the full view at half resolution
    (4x cheaper per image on a CPU; same field of view), else a crop (narrower field of view)."""
    idx = rng.integers(0, len(pool), n)
    d = pool.data
    image, depth, normal, fov = to_tensors(d['rgb'][idx], d['depth'][idx], d['normal'][idx], d['fov'][idx])
    if train:
        h = image.shape[2]
        if rng.random() < half_p:
            image, depth, normal = half_resolution(image, depth, normal)
            crop = image.shape[2]
        else:
            crop = int(rng.choice([c for c in crops if c <= h] or [h]))
        image, depth, normal, fov = augment(rng, image, depth, normal, fov, crop)
    return image, depth, normal, fov


def fixed_set(root, max_images=None):
    """All images of a split (e.g. held-out test), as tensors, in a fixed order."""
    paths = sorted(p for p in glob.glob(os.path.join(root, 'shard_*.npz')) if not p.endswith('.tmp.npz'))
    d = load_shards(paths)
    if d is None:
        raise FileNotFoundError(f'no shards in {root}: generate them with `python -m scenes.generate --out {root} ...`')
    if max_images:
        d = {k: v[:max_images] for k, v in d.items()}
    return to_tensors(d['rgb'], d['depth'], d['normal'], d['fov'])


