"""Generate samples and cache them as npz shards.

A sample = one view of one procedural scene: rgb (uint8 sRGB), depth (metres along the view axis,
0 = sky), normal (camera frame, unit, 0 for sky), pose (4x4 camera-to-world, Y up, looks down -Z),
fov (vertical, degrees), intrinsics (fx, fy, cx, cy in pixels), scene seed, view index, kind.
Every scene is rendered from VIEWS nearby poses, so view pairs with known relative pose exist.

Seeds >= TEST_SEED_BASE are the held-out split; training never uses them.

  /usr/bin/python3 -m scenes.generate --out data/train --first 0 --scenes 2000 --shard 100
  /usr/bin/python3 -m scenes.generate --bench          # images/s at 128 and 256 on one core
  /usr/bin/python3 -m scenes.bench_generate --anchor /tmp/old_checkout   # per kind, against another commit
"""
import argparse
import os
import time

import numpy as np

from .camera import intrinsics, pose_matrix
from .render import render
from .textures import TextureBank
from .worlds import FAR_KINDS, KIND_WEIGHTS, KINDS, build

TEST_SEED_BASE = 10 ** 9
VIEWS = 3


def sample_fov(rng):
    return rng.uniform(45, 75) if rng.random() < 0.6 else rng.uniform(40, 100)


def sample_roll(rng):
    return np.radians(rng.normal(0, 3) if rng.random() < 0.9 else rng.uniform(-15, 15))


def valid(view, kind):
    """Reject views real photographers rarely take: all sky, lens against a surface, or (except
    close-ups) the whole frame filled by something under a metre away."""
    d = view['depth']
    sky = (d == 0).mean()
    near = ((d > 0) & (d < 0.08)).mean()
    closeup = kind == 'tabletop'
    median = np.median(np.where(d > 0, d, 1e3))
    return sky < 0.97 and near < 0.2 and (closeup or median > 1.0)


def far_kind(seed, far_share):
    """With probability far_share, one of the far kinds (lake, plain) for this seed, else None. Drawn
    from its own generator, seeded by (seed, salt), so with far_share 0 (the default, and always for the
    val/test splits) nothing is drawn and every scene is exactly what it was."""
    if far_share <= 0:
        return None
    side = np.random.default_rng([seed, 0xFA4])
    return str(side.choice(FAR_KINDS)) if side.random() < far_share else None


def scene_samples(seed, bank, size=128, views=VIEWS, kind=None, far_share=0.0):
    """Render `views` views of the scene with this seed. Returns a list of sample dicts."""
    rng = np.random.default_rng(seed)
    kind = kind or far_kind(seed, far_share)
    kind = kind or str(rng.choice(KINDS, p=KIND_WEIGHTS))
    scene, camera = build(kind, rng, bank)
    fov = sample_fov(rng)
    shadows = rng.random() < 0.7
    out, base = [], None
    for v in range(views):
        for attempt in range(6):
            cam = camera(rng, base)
            if cam is None:
                continue
            eye, yaw, pitch = cam
            pose = pose_matrix(eye, yaw, pitch, sample_roll(rng))
            r = render(scene, pose, size, size, fov, bank, shadows=shadows)
            if valid(r, kind):
                break
        else:
            continue
        if base is None:
            base = (eye, yaw, pitch)
        r.update(pose=pose.astype(np.float32), fov=np.float32(fov), intrinsics=intrinsics(size, size, fov).astype(np.float32),
                 seed=np.int64(seed), view=np.int32(v), kind=kind)
        out.append(r)
    return out


def pack(samples):
    return dict(
        rgb=np.stack([s['rgb'] for s in samples]),
        depth=np.stack([s['depth'] for s in samples]).astype(np.float16),
        normal=np.stack([np.round(s['normal'] * 127) for s in samples]).astype(np.int8),
        pose=np.stack([s['pose'] for s in samples]),
        fov=np.array([s['fov'] for s in samples], np.float32),
        intrinsics=np.stack([s['intrinsics'] for s in samples]),
        seed=np.array([s['seed'] for s in samples], np.int64),
        view=np.array([s['view'] for s in samples], np.int32),
        kind=np.array([s['kind'] for s in samples]),
    )


def write_shards(out_dir, first, scenes, shard, size, bank, log=print, far_share=0.0):
    held_out = min(s for s, _ in SPLITS.values())  # the val/test splits' first seed
    if far_share > 0 and first + scenes > held_out:
        raise ValueError(f'far_share: expected seeds below the val/test splits ({held_out}), found up to {first + scenes}')
    os.makedirs(out_dir, exist_ok=True)
    t0, n_img = time.time(), 0
    for s0 in range(first, first + scenes, shard):
        path = os.path.join(out_dir, f'shard_{size}_{s0:010d}.npz')
        if os.path.exists(path):
            continue
        samples = []
        for seed in range(s0, min(s0 + shard, first + scenes)):
            samples += scene_samples(seed, bank, size, far_share=far_share)
        tmp = path + '.tmp.npz'
        np.savez_compressed(tmp, **pack(samples))
        os.replace(tmp, path)  # readers only ever see complete shards
        n_img += len(samples)
        log(f'{path}: {len(samples)} images, {n_img / (time.time() - t0):.2f} images/s')


SPLITS = {'val': (900_000_000, 32), 'test': (TEST_SEED_BASE, 200)}  # first seed, scenes


def ensure_split(root, split, size=128):
    """Generate a fixed split (val or test) in `root` if it holds no shards yet."""
    import glob
    if glob.glob(os.path.join(root, 'shard_*.npz')):
        return
    first, scenes = SPLITS[split]
    print(f'generating the {split} split ({scenes} scenes, seeds from {first}) in {root} ...', flush=True)
    write_shards(root, first, scenes, 50, size, TextureBank.load(), log=lambda m: print(m, flush=True))


def bench(bank, n_scenes=10):
    """Images per second on one core, by CPU time of this process (so other load on a shared machine
    does not count), and by wall-clock time."""
    for size in (128, 256):
        t0, c0, n = time.time(), time.process_time(), 0
        per_kind = {}
        for i in range(n_scenes):
            kind = KINDS[i % len(KINDS)]
            c1 = time.process_time()
            k = len(scene_samples(5_000_000 + i, bank, size, kind=kind))
            n += k
            per_kind.setdefault(kind, []).append((time.process_time() - c1) / max(k, 1))
        cpu, wall = time.process_time() - c0, time.time() - t0
        print(f'{size}x{size}: {n} images, {n / cpu:.2f} images/s per CPU-second ({n / wall:.2f}/s wall clock); '
              'CPU s/image by kind: ' + ', '.join(f'{k} {np.mean(v):.2f}' for k, v in per_kind.items()), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', default=os.path.join(os.path.dirname(__file__), '..', 'data', 'train'))
    ap.add_argument('--first', type=int, default=0, help='first scene seed (>= 1e9 is the test split)')
    ap.add_argument('--scenes', type=int, default=1000)
    ap.add_argument('--shard', type=int, default=50, help='scenes per shard file')
    ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--far-share', type=float, default=0.0,
                    help='share of scenes made a far kind (lake, plain); training seeds only (< 900M)')
    ap.add_argument('--bench', action='store_true', help='measure generation speed and exit')
    ap.add_argument('--bench-scenes', type=int, default=10)
    a = ap.parse_args()
    bank = TextureBank.load()
    if a.bench:
        bench(bank, a.bench_scenes)
        return
    write_shards(a.out, a.first, a.scenes, a.shard, a.size, bank, log=lambda m: print(m, flush=True), far_share=a.far_share)


if __name__ == '__main__':
    main()
