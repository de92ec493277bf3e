"""Pinned scenes: a few seeds of every kind, rendered small with a texture bank made here (procedural
textures and two synthetic sky 'photos', no wallpapers, no cache), compared with the pictures the
generator made before its speed work (pinned_scenes.npz, written by the code of commit e6c7b0b).
Speed work must not change the scenes: the held-out splits are fixed by seed.

Same machine: bit-identical. Another CPU's libm may round sin/exp/pow differently in the last bit, and
a last-bit change can flip which surface a pixel sees (two coplanar faces, a terrain step), so the test
allows a few pixels to differ: at most 0.5% of the pixels of a view beyond 1/255 in rgb, beyond 1e-4
relative in depth or beyond 1/127 in normal (int8 as stored in shards).

  cd training && /usr/bin/python3 -m unittest scenes.test_pinned
  cd training && /usr/bin/python3 -m scenes.test_pinned --write [--anchor /tmp/old_checkout]   # re-pin
"""
import argparse
import os
import unittest

import numpy as np

PINS = os.path.join(os.path.dirname(__file__), 'pinned_scenes.npz')
SIZE = 32
VIEWS = 2
# (seed, kind): validation-range and test-range seeds of every kind; with small_bank's skies the outdoor
# scenes of 900000017 get sky photo a (with sun), of 1000000018 photo b (no sun), of 900000018 the
# procedural sky; 1000000004 is a tabletop of the ground close-up kind
JOBS = [(seed, kind) for kind in ['nature', 'forest', 'street', 'room', 'tabletop']
        for seed in (900_000_017, 900_000_018, 1_000_000_018)] + [(1_000_000_004, 'tabletop')]
SHARE = 0.005


def small_bank(textures):
    """A bank independent of the wallpapers and of the cache: two procedural textures per kind and two
    value-noise 'sky photos' (one with sun), all from fixed seeds."""
    rng = np.random.default_rng(1234)
    texs, kinds = [], []
    for kind in textures.KINDS:
        for _ in range(2):
            texs.append(textures.procedural(kind, rng))
            kinds.append(kind)
    sky = []
    for _ in range(2):
        n = textures._value_noise(rng, 5, 4)
        img = np.tile(n, (2, 4))[:textures.SKY_H, :textures.SKY_W]  # 128 x 128 noise, tiled
        base = np.array([0.45, 0.6, 0.9]) * 0.6 + 0.4 * img[..., None]
        sky.append((np.clip(base, 0, 1) * 255).astype(np.uint8))
    return textures.TextureBank(np.stack(texs), kinds, np.stack(sky).astype(np.float32) / 255.0,
                                np.array([3.0, 2.0], np.float32), np.array([0.5, 0.6], np.float32),
                                np.array([True, False]), ['pin_sky_a', 'pin_sky_b'])


def render_pins(generate, textures):
    """{key: array} for JOBS, by the given generate and textures modules (this package's, or another
    checkout's)."""
    bank = small_bank(textures)
    out = {}
    for seed, kind in JOBS:
        for s in generate.scene_samples(seed, bank, SIZE, views=VIEWS, kind=kind):
            key = f'{seed}_{kind}_{int(s["view"])}'
            out[key + '_rgb'] = s['rgb']
            out[key + '_depth'] = s['depth']
            out[key + '_normal'] = np.round(s['normal'] * 127).astype(np.int8)
    return out


class PinnedScenes(unittest.TestCase):
    def test_scenes_match_the_pinned_pictures(self):
        from . import generate, textures
        with np.load(PINS) as z:
            pinned = {k: z[k] for k in z.files}
        got = render_pins(generate, textures)
        self.assertEqual(sorted(got), sorted(pinned), 'the views rendered (kinds, valid views) changed')
        for key in sorted(k for k in pinned if k.endswith('_rgb')):
            base = key[:-4]
            rgb = np.abs(got[key].astype(int) - pinned[key].astype(int)).max(-1) > 1
            d0, d1 = pinned[base + '_depth'], got[base + '_depth']
            depth = np.abs(d1 - d0) > 1e-4 * np.maximum(d0, 1e-3)
            normal = np.abs(got[base + '_normal'].astype(int) - pinned[base + '_normal'].astype(int)).max(-1) > 1
            for name, bad in (('rgb', rgb), ('depth', depth), ('normal', normal)):
                self.assertLessEqual(bad.mean(), SHARE, f'{base}: {name} differs at {bad.mean():.1%} of the pixels')

    def test_pins_cover_every_kind_both_skies_and_the_ground_closeup(self):
        from . import textures, worlds
        from .primitives import Terrain
        with np.load(PINS) as z:
            self.assertEqual({k.split('_')[1] for k in z.files}, set(worlds.KINDS))
        bank = small_bank(textures)
        skies, closeup = set(), False
        for seed, kind in JOBS:
            scene, _ = worlds.build(kind, np.random.default_rng(seed), bank)
            if kind in ('nature', 'forest', 'street'):
                skies.add(None if scene.sky_photo is None else scene.sky_photo['name'])
            closeup |= kind == 'tabletop' and any(isinstance(p, Terrain) for p in scene.prims)
        self.assertEqual(skies, {None, 'pin_sky_a', 'pin_sky_b'})
        self.assertTrue(closeup)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--write', action='store_true', help='render the pins and write pinned_scenes.npz')
    ap.add_argument('--anchor', help='root of another checkout whose generator writes the pins')
    a = ap.parse_args()
    if not a.write:
        unittest.main(argv=['test_pinned'])
        return
    if a.anchor:
        import importlib
        from .bench_generate import load_anchor
        load_anchor(a.anchor)
        generate, textures = importlib.import_module('scenes_anchor.generate'), importlib.import_module('scenes_anchor.textures')
    else:
        from . import generate, textures
    pins = render_pins(generate, textures)
    np.savez_compressed(PINS, **pins)
    print(f'{PINS}: {len(pins) // 3} views, {os.path.getsize(PINS)} bytes')


if __name__ == '__main__':
    main()
