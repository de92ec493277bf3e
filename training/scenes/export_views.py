"""Export held-out procedural scenes as VIEW SETS: posed pictures with exact depth, for the benchmarks
(bench/generate.bench.ts) and the expansion work, read by src/world/views/view-set.ts.

  /usr/bin/python3 -m scenes.export_views                 # from training/: the default scenes (~1.5 CPU-min)
  /usr/bin/python3 -m scenes.export_views --kinds room --size 96x72 --out /tmp/v   # one tiny scene

FORMAT. One folder per scene, <out>/<scene>/ (default out: bench/data/views), holding:
  views.json        {"scene": "room-3", "kind": "room", "seed": 1000000003, "split": "test",
                     "views": [{"name": "start", "width": 512, "height": 384, "verticalFovDegrees": 63.2,
                                "pose": {"position": [x, y, z], "rotation": [w, x, y, z]}}, ...]}
  <name>.png        the picture, 8-bit sRGB, RGB, width x height
  <name>.depth.f32  float32 little-endian, row-major from the top-left pixel, width*height values: depth in
                    metres ALONG THE VIEW AXIS (-z in camera coordinates, not the ray length); 0 where the
                    pixel sees sky; hits farther than 1000 m are stored as 1000 (render.DEPTH_MAX).
Poses are in the program's convention (src/core/camera.ts, the same as scenes/camera.py): world right-handed,
metres, +Y up; the camera looks down -Z with +X right and +Y up; `rotation` is the WORLD-FROM-CAMERA unit
quaternion (w, x, y, z), i.e. the rotation part of scenes/camera.py's camera-to-world pose matrix, `position`
its eye; square pixels, principal point at the image centre, pixel (i, j) centred at (i + 0.5, j + 0.5).

VIEWS of each scene, all at the same size and field of view:
  start           the input view: the scene, field of view, light and first camera of the held-out split's
                  sample with this seed (same random stream as scenes.generate.scene_samples, view 0), 4:3
  moved           the start eye moved 0.5 m sideways (horizontally, along the camera's right) and turned 15
                  degrees about world +Y back towards the start view's centre (right + turn left, or, where
                  that is blocked or faces a wall, left + turn right)
  turn00..turn11  a full turn in place about the start eye: yaw + 30 k degrees about world +Y, the start
                  view's pitch and roll kept (turn00 is the start view itself)
The exposure of every view is the START view's (the renderer normally sets it per picture from the median
radiance), so the same surface has the same colour in all views of a scene and novel views can be compared
with pictures of the world made from the start view.

Scenes are named <kind>-<seed - TEST_SEED_BASE>; the seeds are the first ones of the held-out split
(scenes.generate.SPLITS['test']) whose sampled kind is the one asked for, so no exported scene was trained on.
"""
import argparse
import contextlib
import json
import os
import time

import numpy as np
from PIL import Image

from . import render as render_module
from .camera import pose_matrix
from .generate import KIND_WEIGHTS, KINDS, SPLITS, TEST_SEED_BASE, sample_fov, sample_roll, valid
from .primitives import Terrain
from .textures import TextureBank
from .worlds import build

DEFAULT_OUT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', 'bench', 'data', 'views'))
DEFAULT_KINDS = ['room', 'street', 'nature', 'tabletop', 'forest', 'room']
MOVE_M, MOVE_TURN_DEG, TURN_STEPS = 0.5, 15.0, 12


def quat_from_matrix(m):
    """Unit quaternion (w, x, y, z) of a rotation matrix (Shepperd's method: divide by the largest term)."""
    t = np.trace(m)
    if t > 0:
        s = 2.0 * np.sqrt(1.0 + t)
        q = [0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [(m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s]
    else:
        s = 2.0 * np.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s]
    q = np.asarray(q)
    q /= np.linalg.norm(q)
    return q if q[0] >= 0 else -q


class _FixedMedian:
    """Stands in for numpy inside scenes/render.py so that its auto exposure (scene.exposure / the median
    linear radiance of the picture) uses one median for every view of a scene. Only `median` differs."""

    def __init__(self, value):
        self.value, self.seen = value, []

    def __getattr__(self, name):
        return getattr(np, name)

    def median(self, a, *args, **kw):
        self.seen.append(float(np.median(a, *args, **kw)))
        return self.value if self.value is not None else self.seen[-1]


@contextlib.contextmanager
def exposure_of(median):
    """Inside: render() exposes with this median radiance (None: its own). Yields the stand-in, whose
    `seen` lists the true medians; fails loudly if render() stopped calling np.median exactly once."""
    stand_in = _FixedMedian(median)
    render_module.np = stand_in
    try:
        yield stand_in
    finally:
        render_module.np = np


def render_view(scene, pose, width, height, fov, bank, shadows, median):
    with exposure_of(median) as m:
        r = render_module.render(scene, pose, width, height, fov, bank, shadows=shadows)
    if len(m.seen) != 1:
        raise RuntimeError(f'export_views: expected render() to take one median (its auto exposure), found {len(m.seen)}')
    return r, m.seen[0]


def held_out_seeds(kind):
    """Seeds of the held-out split whose sampled kind is `kind`, in order (the kind is the first draw of
    the seed's random stream, as in scenes.generate.scene_samples)."""
    first, count = SPLITS['test']
    for seed in range(first, first + count):
        if str(np.random.default_rng(seed).choice(KINDS, p=KIND_WEIGHTS)) == kind:
            yield seed


def start_view(seed, bank):
    """Scene and start camera of held-out sample `seed`, following scene_samples' random stream exactly
    (validity judged on a 128x96 picture). Returns (scene, kind, fov, shadows, eye, yaw, pitch, roll) or None."""
    rng = np.random.default_rng(seed)
    kind = str(rng.choice(KINDS, p=KIND_WEIGHTS))
    scene, camera = build(kind, rng, bank)
    fov = sample_fov(rng)
    shadows = rng.random() < 0.7
    for _ in range(6):
        cam = camera(rng, None)
        if cam is None:
            continue
        eye, yaw, pitch = cam
        roll = sample_roll(rng)
        r = render_module.render(scene, pose_matrix(eye, yaw, pitch, roll), 128, 96, fov, bank, shadows=shadows)
        if valid(r, kind):
            return scene, kind, fov, shadows, np.asarray(eye, float), float(yaw), float(pitch), float(roll)
    return None


def path_is_clear(scene, a, b, margin=0.3):
    """True if nothing lies on the segment a -> b (extended by `margin`) and the end stays `margin` above
    any terrain: the moved camera must not end up inside a wall, a tree or a hill."""
    seg = b - a
    dist = float(np.linalg.norm(seg))
    d = (seg / dist)[None, :]
    for prim in scene.prims:
        if isinstance(prim, Terrain):
            if b[1] - prim.height(np.array([b[0]]), np.array([b[2]]))[0] < margin:
                return False
            continue
        t = prim.hit(a, d)
        if np.isfinite(t[0]) and 0 <= t[0] <= dist + margin:
            return False
    return True


def export_scene(seed, bank, out_root, width, height, log=print):
    sv = start_view(seed, bank)
    if sv is None:
        return None
    scene, kind, fov, shadows, eye, yaw, pitch, roll = sv
    name = f'{kind}-{seed - TEST_SEED_BASE}'
    views = []  # (name, pose, render)

    start_pose = pose_matrix(eye, yaw, pitch, roll)
    start, median = render_view(scene, start_pose, width, height, fov, bank, shadows, None)
    views.append(('start', start_pose, start))

    for side in (1, -1):  # move right and turn left first; the mirror image where that is blocked
        right = np.array([np.cos(yaw), 0.0, -np.sin(yaw)])  # camera +X of Ry(yaw), kept horizontal
        moved_eye = eye + side * MOVE_M * right
        if not path_is_clear(scene, eye, moved_eye):
            continue
        pose = pose_matrix(moved_eye, yaw + side * np.radians(MOVE_TURN_DEG), pitch, roll)
        r, _ = render_view(scene, pose, width, height, fov, bank, shadows, median)
        if valid(r, kind):
            views.append(('moved', pose, r))
            break
    else:
        log(f'{name}: no clear moved view, scene skipped')
        return None

    for k in range(TURN_STEPS):
        pose = pose_matrix(eye, yaw + np.radians(360.0 / TURN_STEPS * k), pitch, roll)
        r = start if k == 0 else render_view(scene, pose, width, height, fov, bank, shadows, median)[0]
        views.append((f'turn{k:02d}', pose, r))

    folder = os.path.join(out_root, name)
    os.makedirs(folder, exist_ok=True)
    entries = []
    for vname, pose, r in views:
        Image.fromarray(r['rgb']).save(os.path.join(folder, vname + '.png'))
        r['depth'].astype('<f4').tofile(os.path.join(folder, vname + '.depth.f32'))
        entries.append(dict(name=vname, width=width, height=height, verticalFovDegrees=float(fov),
                            pose=dict(position=[float(v) for v in pose[:3, 3]],
                                      rotation=[float(v) for v in quat_from_matrix(pose[:3, :3])])))
    meta = dict(scene=name, kind=kind, seed=int(seed), split='test', views=entries)
    tmp = os.path.join(folder, 'views.json.partial')
    with open(tmp, 'w') as f:
        json.dump(meta, f, indent=1)
    os.replace(tmp, os.path.join(folder, 'views.json'))  # views.json last: a folder with it is complete
    return name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--kinds', default=','.join(DEFAULT_KINDS),
                    help='comma-separated scene kinds, one scene each (a kind named twice gives its next seed)')
    ap.add_argument('--size', default='512x384', help='WIDTHxHEIGHT of every view')
    a = ap.parse_args()
    try:
        width, height = (int(v) for v in a.size.lower().split('x'))
    except ValueError:
        ap.error(f'--size: expected WIDTHxHEIGHT, found {a.size}')
    kinds = a.kinds.split(',')
    for k in kinds:
        if k not in KINDS:
            ap.error(f'--kinds: expected some of {",".join(KINDS)}, found {k}')
    bank = TextureBank.load()
    t0, c0 = time.time(), time.process_time()
    used = set()
    for kind in kinds:
        for seed in held_out_seeds(kind):
            if seed in used:
                continue
            used.add(seed)
            name = export_scene(seed, bank, a.out, width, height, log=lambda m: print(m, flush=True))
            if name:
                print(f'{os.path.join(a.out, name)}: {2 + TURN_STEPS} views', flush=True)
                break
        else:
            raise SystemExit(f'export_views: expected a held-out {kind} scene with a clear moved view, found none')
    print(f'{len(kinds)} scenes in {time.process_time() - c0:.1f} CPU s ({time.time() - t0:.1f} s wall)', flush=True)


if __name__ == '__main__':
    main()
