"""Training batches from the cached npz shards (training/data/<split>/shard_*.npz).

The pool grows while the generator keeps writing shards: `refresh()` loads shards that appeared since
the last call into a ring buffer of preallocated tensors (the oldest images are overwritten once it
holds `max_images`). The pool lives on the training device, and batches are cut and augmented there:
on a GPU, copying and augmenting on the CPU would cost more than the training step itself.
Augmentation: random centred-ish crops (the field of view shrinks accordingly), horizontal flips (the
normal's x flips), colour jitter (brightness, contrast, saturation, gamma), sensor noise and blur.
"""
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F

from sky_swap import swap_sky

DEPTH_MIN, DEPTH_MAX = 0.05, 1000.0
KEYS = ('rgb', 'depth', 'normal', 'fov')


def load_shards(paths):
    parts = {k: [] for k in KEYS}
    for p in paths:
        with np.load(p) as z:
            for k in KEYS:
                parts[k].append(z[k])
    return {k: np.concatenate(v) for k, v in parts.items()} if paths else None


class ShardPool:
    def __init__(self, root, max_images=40000, size=None, device='cpu'):
        self.root, self.max_images, self.size, self.device = root, max_images, size, torch.device(device)
        self.loaded, self.store, self.count, self.next = set(), None, 0, 0

    def shard_paths(self):
        pat = f'shard_{self.size}_*.npz' if self.size else 'shard_*.npz'
        return sorted(p for p in glob.glob(os.path.join(self.root, pat)) if not p.endswith('.tmp.npz'))

    def refresh(self):
        new = [p for p in self.shard_paths() if p not in self.loaded]
        if not new:
            return 0
        d = load_shards(new)
        self.loaded.update(new)
        n = len(d['fov'])
        if self.store is None:
            self.store = {k: torch.empty((self.max_images,) + v.shape[1:], dtype=torch.from_numpy(v[:1]).dtype,
                                         device=self.device) for k, v in d.items()}
        keep = min(n, self.max_images)  # a refresh bigger than the pool keeps its newest images
        slots = ((self.next + torch.arange(keep)) % self.max_images).to(self.device)
        for k, v in d.items():
            self.store[k][slots] = torch.from_numpy(np.ascontiguousarray(v[n - keep:])).to(self.device)
        self.next = (self.next + keep) % self.max_images
        self.count = min(self.count + keep, self.max_images)
        return n

    @property
    def data(self):
        return None if self.store is None else {k: v[:self.count] for k, v in self.store.items()}

    def __len__(self):
        return self.count


def to_tensors(rgb, depth, normal, fov):
    """uint8/float16/int8 arrays (numpy or torch, any device) -> float tensors: image [N,3,H,W] 0..1,
    depth [N,1,H,W] metres (0 = sky), normal [N,3,H,W] unit, fov [N] degrees."""
    image = torch.as_tensor(rgb).permute(0, 3, 1, 2).float() / 255.0
    d = torch.nan_to_num(torch.as_tensor(depth).float(), posinf=DEPTH_MAX).unsqueeze(1)
    d = torch.where(d > 0, d.clamp(DEPTH_MIN, DEPTH_MAX), torch.zeros_like(d))
    n = torch.as_tensor(normal).permute(0, 3, 1, 2).float() / 127.0
    n = n / n.norm(dim=1, keepdim=True).clamp_min(1e-6)
    return image, d, n, torch.as_tensor(fov).float()


def crop_batch(t, y0, x0, crop):
    """Per-image crops of one size: t [N,C,H,W], y0/x0 [N] long -> [N,C,crop,crop], one gather."""
    r = torch.arange(crop, device=t.device)
    rows = (y0[:, None] + r)[:, :, None]
    cols = (x0[:, None] + r)[:, None, :]
    n = torch.arange(t.shape[0], device=t.device)[:, None, None]
    return t[n, :, rows, cols].permute(0, 3, 1, 2)  # advanced indices first: [N,crop,crop,C]


def augment(rng, image, depth, normal, fov, crop):
    """Same crop size for the whole batch; everything else per image. Random numbers come from the
    numpy `rng` (a few per image) and torch's generator (noise), so runs are reproducible by seed."""
    n, _, h, w = image.shape
    dev = image.device
    per_image = lambda x: torch.as_tensor(np.asarray(x, np.float32), device=dev)
    if crop < h:
        # mostly centred: the network assumes the principal point at the image centre
        y0 = np.clip((h - crop) // 2 + rng.integers(-4, 5, n), 0, h - crop)
        x0 = np.clip((w - crop) // 2 + rng.integers(-4, 5, n), 0, w - crop)
        y0, x0 = torch.as_tensor(y0, device=dev), torch.as_tensor(x0, device=dev)
        image, depth, normal = (crop_batch(t, y0, x0, crop) for t in (image, depth, normal))
        fov = 2 * torch.rad2deg(torch.atan(torch.tan(torch.deg2rad(fov) / 2) * crop / h))
    flip = torch.as_tensor(rng.random(n) < 0.5, device=dev).view(n, 1, 1, 1)
    image = torch.where(flip, image.flip(3), image)
    depth = torch.where(flip, depth.flip(3), depth)
    mirrored = normal.flip(3) * torch.tensor([-1.0, 1.0, 1.0], device=dev).view(1, 3, 1, 1)
    normal = torch.where(flip, mirrored, normal)
    # photometric: gamma, contrast, saturation, brightness, noise, blur
    image = image.clamp(0, 1) ** per_image(np.exp(rng.normal(0, 0.2, n))).view(n, 1, 1, 1)
    mean = image.mean(dim=(1, 2, 3), keepdim=True)
    image = (image - mean) * per_image(rng.uniform(0.7, 1.3, n)).view(n, 1, 1, 1) + mean
    grey = image.mean(dim=1, keepdim=True)
    image = (image - grey) * per_image(rng.uniform(0.5, 1.4, n)).view(n, 1, 1, 1) + grey
    image = image * per_image(rng.uniform(0.75, 1.25, (n, 3)) ** 0.3).view(n, 3, 1, 1)
    image = image + torch.randn_like(image) * per_image(rng.uniform(0, 0.03, n)).view(n, 1, 1, 1)
    blur = torch.as_tensor(rng.random(n) < 0.3, device=dev).view(n, 1, 1, 1)
    k = torch.tensor([1.0, 2.0, 1.0], device=dev) / 4
    k2 = (k[:, None] * k[None, :]).expand(3, 1, 3, 3).contiguous()
    image = torch.where(blur, F.conv2d(F.pad(image, (1, 1, 1, 1), mode='replicate'), k2, groups=3), image)
    return image.clamp(0, 1), depth, normal, fov


def half_resolution(image, depth, normal):
    """2x2 downsampling: mean colour (like a camera's larger pixels), the nearest depth/normal sample
    (no averaging across depth edges; sky stays sky)."""
    image = F.avg_pool2d(image, 2)
    return image, depth[:, :, ::2, ::2].contiguous(), normal[:, :, ::2, ::2].contiguous()


def batch(pool, rng, n, crops=(96, 112, 128), train=True, half_p=0.0, skies=None, sky_p=0.0, sky_procedural=0.0):
    """A training batch, on the pool's device; with probability half_p the whole batch is the full
    view at half resolution (4x cheaper per image; same field of view), else a crop (narrower field
    of view). With `skies` (sky_swap.load_skies), a share sky_p of the images with sky get a
    photographed one instead, or a share sky_procedural of those a procedural one (sky_procedural.py)."""
    d = pool.data
    idx = torch.as_tensor(rng.integers(0, len(pool), n), device=d['rgb'].device)
    image, depth, normal, fov = to_tensors(d['rgb'][idx], d['depth'][idx], d['normal'][idx], d['fov'][idx])
    if train:
        image = swap_sky(rng, image, depth, skies, p=sky_p, procedural=sky_procedural)
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
