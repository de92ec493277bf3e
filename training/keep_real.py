"""Keep what the network does on real photographs while it trains on procedural scenes.

Why: every GPU session so far improved the held-out synthetic figures and lost real skies (recall on
the two held-out sky photos 0.92 -> 0.10) and made real photos' worlds shallower: the procedural
worlds pull the network away from what it learnt on the photographs' statistics. Here the network that
training starts from is kept, frozen, as a teacher; each step a small batch of crops of real wallpaper
photos goes through both, and the student pays for moving away from the teacher's sky and log-depth on
them (learning without forgetting, Li and Hoiem 2016). The synthetic losses can still change anything
the photos do not pin down.

The photos: the wallpapers' photographs, except the six that docs/real and real_shape.py judge worlds
by and the two sky photos held out of training, so those stay a test. The GPU machine has no
wallpapers, so they travel as one file made here:

  /usr/bin/python3 training/keep_real.py data/real_photos.npz
"""
import contextlib
import copy
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DEFAULT_FOV  # noqa: E402
from real_shape import PHOTOS as JUDGED  # noqa: E402
from train import log_depth_terms  # noqa: E402
from scenes.sky_photos import HOLD_OUT, photo_name  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = (160, 256)  # stored height, width: most wallpapers are 16:10; crops of up to 128 px are taken from it


def anchor_files():
    from scenes.textures import photo_files
    skip = set(JUDGED) | set(HOLD_OUT)
    return [f for f in photo_files() if photo_name(f) not in skip and '/mate/abstract/' not in f and '/mate/desktop/' not in f]


def build(out):
    from PIL import Image
    files = anchor_files()
    if not files:
        raise ValueError('anchor photos: expected wallpapers in /usr/share/wallpapers or /usr/share/backgrounds/mate, found none')
    h, w = SIZE
    photos = np.stack([np.asarray(Image.open(f).convert('RGB').resize((w, h), Image.BICUBIC), np.uint8) for f in files])
    np.savez_compressed(out, photos=photos, names=np.array([photo_name(f) for f in files]))
    return files


class RealAnchor:
    """The teacher and the photos, on the training device."""

    def __init__(self, teacher, path, device):
        with np.load(path) as z:
            self.photos = torch.from_numpy(z['photos']).to(device).permute(0, 3, 1, 2).float() / 255.0
        if len(self.photos) == 0:
            raise ValueError(f'{path}: expected anchor photos, found none')
        self.teacher = copy.deepcopy(teacher).eval()
        for p in self.teacher.parameters():
            p.requires_grad_(False)

    def crops(self, rng, n, crop):
        """Random crops, some zoomed out (the whole photo shrunk to the crop), half of them mirrored."""
        _, _, h, w = self.photos.shape
        out = []
        for i in rng.integers(0, len(self.photos), n):
            p = self.photos[i:i + 1]
            s = rng.uniform(crop / h, 1.0)  # scale of the source window: up to the full height
            side = max(crop, int(h * s))  # a square window
            y, x = rng.integers(0, h - side + 1), rng.integers(0, w - side + 1)
            c = p[:, :, y:y + side, x:x + side]
            if side != crop:
                c = F.interpolate(c, size=(crop, crop), mode='bilinear', align_corners=False, antialias=True)
            out.append(c.flip(3) if rng.random() < 0.5 else c)
        return torch.cat(out)

    def loss(self, model, rng, n=16, crop=128, amp=False):
        image = self.crops(rng, n, crop)
        fov = torch.full((n,), DEFAULT_FOV, device=image.device)  # a photo's field of view is unknown
        with torch.no_grad():
            t_depth, _, _, t_sky = self.teacher(image, fov)
        with torch.autocast('cuda', dtype=torch.bfloat16) if amp else contextlib.nullcontext():
            s_depth, _, _, s_sky = model(image, fov)
        s_depth, s_sky = s_depth.float(), s_sky.float()
        ground = (t_sky < 0.5).float()
        cnt = ground.sum(dim=(1, 2, 3)).clamp_min(1)
        metric, silog = log_depth_terms((s_depth - t_depth.float()) * ground, cnt)
        depth = metric + silog
        sky = F.binary_cross_entropy(s_sky.clamp(1e-4, 1 - 1e-4), t_sky.float())
        return depth + sky, depth.item(), sky.item()


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'data', 'real_photos.npz')
    files = build(out)
    print(f'{len(files)} anchor photos -> {out} ({os.path.getsize(out) / 1e6:.1f} MB): ' + ', '.join(photo_name(f) for f in files))
