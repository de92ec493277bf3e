"""The texture bank: crops of real photographs (Debian's wallpaper packages) and procedural patterns.

Textures are square, TEX x TEX, stored in LINEAR colour (float32) with a mip pyramid, so far-away
surfaces are filtered instead of aliased. The bank is built once and cached in training/data/.

It also holds the photographic skies: the sky region of the photographs listed in sky_photos.py, each
resampled to SKY_W x SKY_H (the crop's own aspect ratio is kept alongside, so the dome mapping can undo
the squeeze). The cache carries a key made from that table and the bank's format, and is rebuilt when the
key changes (the GPU machine has no wallpapers: it must be given a cache built here, see gpu_carry.sh).
"""
import glob
import hashlib
import os
import sys

import numpy as np

TEX = 128
LEVELS = 6  # 128 .. 4
PHOTO_DIRS = ['/usr/share/wallpapers', '/usr/share/backgrounds/mate']
CACHE = os.path.join(os.path.dirname(__file__), '..', 'data', 'textures.npz')
SKY_W, SKY_H = 512, 256
BANK_FORMAT = 2  # 1: textures + kinds; 2: + photographic skies


def bank_key():
    """Changes whenever what the cache should contain changes (format or the hand-made sky table)."""
    from .sky_photos import SKY_PHOTOS
    return hashlib.sha1(repr((BANK_FORMAT, SKY_W, SKY_H, SKY_PHOTOS)).encode()).hexdigest()[:16]

# Kinds of procedural texture; scene builders ask for a kind, or 'photo', or 'any'.
KINDS = ['noise', 'bricks', 'planks', 'tiles', 'stripes', 'checker', 'facade', 'foliage', 'grass',
         'asphalt', 'fabric', 'rock', 'water', 'books']


def srgb_to_linear(c):
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c):
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def photo_files():
    """One file per photograph (the largest version of each wallpaper), sorted for reproducibility."""
    best = {}
    for root in PHOTO_DIRS:
        for f in glob.glob(os.path.join(root, '**', '*'), recursive=True):
            if not f.lower().endswith(('.jpg', '.jpeg', '.png')) or 'screenshot' in f:
                continue
            key = f.split('/contents/')[0] if '/contents/' in f else os.path.splitext(f)[0].split('_')[0]
            size = os.path.getsize(f)
            if key not in best or size > best[key][0]:
                best[key] = (size, f)
    return sorted(v[1] for v in best.values())


def _photo_crops(rng, per_photo=6):
    from PIL import Image
    out = []
    for f in photo_files():
        try:
            im = Image.open(f).convert('RGB')
        except Exception:
            continue
        im.thumbnail((1024, 1024))
        w, h = im.size
        for _ in range(per_photo):
            s = int(min(w, h) * rng.uniform(0.15, 0.9))
            x, y = rng.integers(0, w - s + 1), rng.integers(0, h - s + 1)
            crop = im.crop((x, y, x + s, y + s)).resize((TEX, TEX), Image.BILINEAR)
            out.append(np.asarray(crop, np.float32) / 255.0)
    return out


def sky_crops():
    """The sky regions of the photos in sky_photos.SKY_PHOTOS: (images uint8 (N, SKY_H, SKY_W, 3) sRGB,
    aspect float32 (N,) = crop width / crop height in source pixels, frac float32 (N,) = the sky's share of
    the photo's height, sun bool (N,), names). A listed photo that is missing is skipped with one line
    on stderr."""
    from PIL import Image
    from .sky_photos import SKY_PHOTOS, photo_name
    imgs, aspect, fracs, sun, names = [], [], [], [], []
    for path, frac, x0, x1, has_sun in SKY_PHOTOS:
        try:
            im = Image.open(path).convert('RGB')
        except OSError as e:
            print(f'sky photo {path}: expected a readable image, found {e}', file=sys.stderr)
            continue
        w, h = im.size
        box = (int(round(x0 * w)), 0, int(round(x1 * w)), int(round(frac * h)))
        crop = im.crop(box)
        imgs.append(np.asarray(crop.resize((SKY_W, SKY_H), Image.LANCZOS), np.uint8))
        aspect.append((box[2] - box[0]) / (box[3] - box[1]))
        fracs.append(frac)
        sun.append(has_sun)
        names.append(photo_name(path))
    if not imgs:
        return np.zeros((0, SKY_H, SKY_W, 3), np.uint8), np.zeros(0, np.float32), np.zeros(0, np.float32), np.zeros(0, bool), []
    return np.stack(imgs), np.array(aspect, np.float32), np.array(fracs, np.float32), np.array(sun, bool), names


def _value_noise(rng, octaves=5, base=4):
    """Fractal value noise in [0, 1], tileable (periodic in both axes)."""
    acc = np.zeros((TEX, TEX))
    amp, tot = 1.0, 0.0
    for o in range(octaves):
        n = base * 2 ** o
        if n > TEX:
            break
        g = rng.random((n, n))
        x = np.arange(TEX) * n / TEX
        i0 = np.floor(x).astype(int)
        f = x - i0
        f = f * f * (3 - 2 * f)
        i1 = (i0 + 1) % n
        a = g[i0][:, i0] * (1 - f)[None, :] + g[i0][:, i1] * f[None, :]
        b = g[i1][:, i0] * (1 - f)[None, :] + g[i1][:, i1] * f[None, :]
        acc += amp * (a * (1 - f)[:, None] + b * f[:, None])
        tot += amp
        amp *= 0.55
    return acc / tot


def _colour(rng, sat=(0.1, 0.8), val=(0.2, 0.95)):
    h = rng.random()
    s, v = rng.uniform(*sat), rng.uniform(*val)
    k = (np.array([5, 3, 1]) + h * 6) % 6
    return v - v * s * np.clip(np.minimum(k, 4 - k), 0, 1)


def procedural(kind, rng):
    """One TEX x TEX sRGB texture in [0, 1] of the given kind."""
    y, x = np.mgrid[0:TEX, 0:TEX] / TEX
    n = _value_noise(rng)
    c1, c2 = _colour(rng), _colour(rng)
    if kind == 'noise':
        t = n[..., None] * c1 + (1 - n[..., None]) * c2
    elif kind == 'bricks':
        rows = rng.choice([4, 8])
        r = np.floor(y * rows)
        xx = (x * rows / 2 + 0.5 * (r % 2)) % 1
        yy = (y * rows) % 1
        mortar = (xx < 0.05) | (yy < 0.1)
        c1 = _colour(rng, (0.3, 0.7), (0.3, 0.7))
        t = np.where(mortar[..., None], np.array([0.7, 0.7, 0.65]) * rng.uniform(0.6, 1), c1 * (0.8 + 0.4 * n[..., None]))
    elif kind == 'planks':
        k = rng.choice([4, 6, 8])
        g = np.sin((y * 40 + 6 * n) * 2 * np.pi) * 0.5 + 0.5
        seam = ((x * k) % 1) < 0.03
        base = np.array([0.55, 0.35, 0.18]) * rng.uniform(0.5, 1.4)
        t = base * (0.75 + 0.35 * g[..., None]) * np.where(seam, 0.5, 1.0)[..., None]
    elif kind == 'tiles':
        k = rng.choice([2, 4, 8])
        seam = ((x * k) % 1 < 0.04) | ((y * k) % 1 < 0.04)
        t = np.where(seam[..., None], c2 * 0.5 + 0.4, c1 * (0.9 + 0.2 * n[..., None]))
    elif kind == 'stripes':
        k = rng.integers(2, 10)
        t = np.where((((x * k) % 1) < 0.5)[..., None], c1, c2) * (0.9 + 0.2 * n[..., None])
    elif kind == 'checker':
        k = rng.choice([2, 4, 8])
        t = np.where(((np.floor(x * k) + np.floor(y * k)) % 2 == 0)[..., None], c1, c2)
    elif kind == 'facade':
        # a wall with a grid of windows (dark glass, light frame): one tile = one floor x one bay
        wall = _colour(rng, (0.05, 0.5), (0.35, 0.9)) * (0.85 + 0.3 * n[..., None])
        wx0, wx1 = rng.uniform(0.15, 0.3), rng.uniform(0.7, 0.85)
        wy0, wy1 = rng.uniform(0.15, 0.3), rng.uniform(0.65, 0.8)
        win = (x > wx0) & (x < wx1) & (y > wy0) & (y < wy1)
        frame = win & ~((x > wx0 + 0.03) & (x < wx1 - 0.03) & (y > wy0 + 0.03) & (y < wy1 - 0.03))
        glass = np.array([0.1, 0.13, 0.17]) * rng.uniform(0.5, 2.5) + 0.15 * (1 - y[..., None])
        t = np.where(win[..., None], glass, wall)
        t = np.where(frame[..., None], np.array([0.85, 0.85, 0.8]) * rng.uniform(0.3, 1), t)
    elif kind == 'foliage':
        g = _value_noise(rng, octaves=6, base=16)
        leaf = np.array([0.15, 0.35, 0.08]) * rng.uniform(0.5, 1.5) + rng.uniform(-0.05, 0.05, 3)
        t = leaf * (0.3 + 1.2 * g[..., None] ** 2)
    elif kind == 'grass':
        g = _value_noise(rng, octaves=6, base=32)
        base = np.array([0.25, 0.45, 0.12]) if rng.random() < 0.7 else np.array([0.55, 0.5, 0.3])
        t = base * (0.6 + 0.6 * g[..., None]) * (0.8 + 0.4 * n[..., None])
    elif kind == 'asphalt':
        g = rng.random((TEX, TEX))
        t = (0.18 + 0.1 * g[..., None] + 0.1 * n[..., None]) * np.ones(3) * rng.uniform(0.6, 1.4)
        if rng.random() < 0.5:  # lane marking
            t = np.where((np.abs(x - 0.5) < 0.03)[..., None] & ((y % 0.5) < 0.3)[..., None], 0.85, t)
    elif kind == 'fabric':
        w = 0.5 + 0.25 * (np.sin(x * 2 * np.pi * 32) + np.sin(y * 2 * np.pi * 32))
        t = c1 * (0.75 + 0.25 * w[..., None]) * (0.9 + 0.2 * n[..., None])
    elif kind == 'rock':
        g = _value_noise(rng, octaves=6, base=8)
        base = np.array([0.45, 0.43, 0.4]) * rng.uniform(0.5, 1.3) + rng.uniform(-0.05, 0.05, 3)
        t = base * (0.5 + 0.8 * g[..., None])
    elif kind == 'water':
        t = np.array([0.1, 0.2, 0.25]) * rng.uniform(0.5, 1.5) * (0.8 + 0.4 * n[..., None])
    elif kind == 'books':
        k = rng.integers(8, 20)
        col = np.floor(x * k).astype(int)
        cols = np.stack([_colour(rng) for _ in range(k)])
        t = cols[col] * (0.85 + 0.15 * n[..., None])
        t = np.where(((x * k) % 1 < 0.06)[..., None], 0.1, t)
    else:
        raise ValueError(f'unknown texture kind {kind}')
    return np.clip(t, 0, 1).astype(np.float32)


def _mips(tex_linear):
    """List of LEVELS arrays (K, s, s, 3), box-filtered."""
    levels = [tex_linear]
    for _ in range(LEVELS - 1):
        t = levels[-1]
        levels.append(0.25 * (t[:, 0::2, 0::2] + t[:, 1::2, 0::2] + t[:, 0::2, 1::2] + t[:, 1::2, 1::2]))
    return levels


class TextureBank:
    def __init__(self, textures_srgb, kinds, sky_srgb=None, sky_aspect=None, sky_frac=None, sky_sun=None, sky_names=()):
        self.kinds = np.asarray(kinds)
        levels = _mips(srgb_to_linear(textures_srgb.astype(np.float32)))
        # all levels in one (texels, 3) array, so one gather serves texels of every level (sample);
        # self.levels are views into it
        self.texels = np.concatenate([lv.reshape(-1, 3) for lv in levels])
        self.level_size = np.array([lv.shape[1] for lv in levels], np.int64)
        self.level_start = np.cumsum([0] + [lv.size // 3 for lv in levels])[:-1].astype(np.int64)
        self.levels = [self.texels[a:a + lv.size // 3].reshape(lv.shape) for a, lv in zip(self.level_start, levels)]
        self.by_kind = {k: np.flatnonzero(self.kinds == k) for k in set(kinds)}
        # photographic skies, linear; per photo the mean colour of the top and bottom eighth (zenith-most
        # and horizon-most sky, which set the scene's ambient light and fog colour) and the mean of the
        # brightest channel (which sets the photo's brightness in a scene)
        if sky_srgb is None:
            sky_srgb = np.zeros((0, SKY_H, SKY_W, 3), np.float32)
        self.sky = srgb_to_linear(np.asarray(sky_srgb, np.float32)).astype(np.float32)
        self.sky_aspect = np.zeros(0, np.float32) if sky_aspect is None else np.asarray(sky_aspect, np.float32)
        self.sky_frac = np.zeros(0, np.float32) if sky_frac is None else np.asarray(sky_frac, np.float32)
        self.sky_sun = np.zeros(0, bool) if sky_sun is None else np.asarray(sky_sun, bool)
        self.sky_names = list(sky_names)
        from .sky_photos import HOLD_OUT
        self.sky_train = np.array([i for i, n in enumerate(self.sky_names) if n not in HOLD_OUT], np.int64)  # scenes use these
        e = max(self.sky.shape[1] // 8, 1)
        self.sky_top = self.sky[:, :e].mean((1, 2))
        self.sky_bottom = self.sky[:, -e:].mean((1, 2))
        self.sky_max = self.sky.max(-1).mean((1, 2))

    @staticmethod
    def build(seed=0, per_kind=12, per_photo=6):
        rng = np.random.default_rng(seed)
        texs, kinds = [], []
        for kind in KINDS:
            for _ in range(per_kind):
                texs.append(procedural(kind, rng))
                kinds.append(kind)
        for crop in _photo_crops(rng, per_photo):
            texs.append(crop)
            kinds.append('photo')
        return np.stack(texs), kinds

    @staticmethod
    def _cache_is_current(path):
        if not os.path.exists(path):
            return False
        from .sky_photos import SKY_PHOTOS
        with np.load(path) as z:
            if not ('key' in z.files and str(z['key']) == bank_key()):
                return False
            # A cache built where the wallpaper packages were missing has no photos (no photo textures,
            # no skies): rebuild it once they are here. A machine without them (the GPU machine) keeps
            # the complete cache it was given.
            return len(z['sky_names']) == len(SKY_PHOTOS) or not any(os.path.exists(p[0]) for p in SKY_PHOTOS)

    @classmethod
    def load(cls, path=CACHE):
        if not cls._cache_is_current(path):
            # build() is deterministic (seed 0), so the surface textures of a rebuilt cache are the same
            texs, kinds = cls.build()
            sky, aspect, frac, sun, names = sky_crops()
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = path + f'.{os.getpid()}.tmp.npz'
            np.savez_compressed(tmp, textures=(texs * 255).round().astype(np.uint8), kinds=np.array(kinds),
                                sky=sky, sky_aspect=aspect, sky_frac=frac, sky_sun=sun, sky_names=np.array(names, dtype=str),
                                key=np.array(bank_key()))
            os.replace(tmp, path)  # readers only ever see a complete cache
        z = np.load(path)
        return cls(z['textures'].astype(np.float32) / 255.0, list(z['kinds']), z['sky'].astype(np.float32) / 255.0,
                   z['sky_aspect'], z['sky_frac'], z['sky_sun'], list(z['sky_names']))

    def pick(self, rng, kind):
        if kind == 'any':
            return int(rng.integers(len(self.kinds)))
        ids = self.by_kind.get(kind)
        if ids is None or len(ids) == 0:
            ids = np.arange(len(self.kinds))
        return int(rng.choice(ids))

    def sample(self, tex_ids, uv, level):
        """Nearest-texel lookup at a per-pixel mip level. uv in tiles (wraps); returns linear RGB.
        Texel (row s - 1 - floor(v s) mod s, column floor(u s) mod s) of level `level` (rounded down,
        clamped), s = that level's size; all pixels in one gather from the texels of all levels."""
        level = np.clip(level, 0, LEVELS - 1).astype(int)
        s = self.level_size[level]
        i = (np.floor(uv[:, 1] * s).astype(np.int64)) % s
        j = (np.floor(uv[:, 0] * s).astype(np.int64)) % s
        return self.texels[self.level_start[level] + (tex_ids * s + (s - 1 - i)) * s + j]
