"""Scene generator speed: images per CPU-second per scene kind, this checkout against another one
(the anchor), measured in the same run, scene by scene in turn, so the load of a shared machine hits
both alike. Every image is also compared with the anchor's: the speed work must not change the scenes.

  git worktree add --detach /tmp/scenes_anchor <commit>      # e.g. the commit before the speed work
  cd training && nice /usr/bin/python3 -m scenes.bench_generate --anchor /tmp/scenes_anchor --scenes 6

Without --anchor it times this checkout alone. CPU time is this process's (time.process_time), so other
processes on the machine do not count; it still varies with cache and frequency effects of the load.
"""
import argparse
import importlib.util
import os
import sys
import time

import numpy as np

from .generate import scene_samples
from .textures import CACHE, TextureBank
from .worlds import KIND_WEIGHTS, KINDS


def load_anchor(training_dir):
    """The other checkout's `scenes` package, imported under another name."""
    pkg = os.path.join(training_dir, 'training', 'scenes')
    spec = importlib.util.spec_from_file_location('scenes_anchor', os.path.join(pkg, '__init__.py'),
                                                  submodule_search_locations=[pkg])
    mod = importlib.util.module_from_spec(spec)
    sys.modules['scenes_anchor'] = mod
    spec.loader.exec_module(mod)
    gen = importlib.import_module('scenes_anchor.generate')
    tex = importlib.import_module('scenes_anchor.textures')
    return gen.scene_samples, tex.TextureBank


def max_diff(a, b):
    """Largest absolute difference of rgb (0..255), depth (m) and normal between two sample lists."""
    if len(a) != len(b):
        return None
    out = [0.0, 0.0, 0.0]
    for x, y in zip(a, b):
        for i, f in enumerate(('rgb', 'depth', 'normal')):
            out[i] = max(out[i], float(np.abs(x[f].astype(np.float64) - y[f].astype(np.float64)).max()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--anchor', help='root of another checkout (a git worktree) to measure against')
    ap.add_argument('--scenes', type=int, default=6, help='scenes per kind')
    ap.add_argument('--size', type=int, default=128)
    ap.add_argument('--first', type=int, default=5_000_000, help='first scene seed')
    a = ap.parse_args()
    bank = TextureBank.load()
    ref = None
    if a.anchor:
        ref_samples, ref_bank_cls = load_anchor(a.anchor)
        ref = (ref_samples, ref_bank_cls.load(CACHE))  # the same texture cache file
    worst = [0.0, 0.0, 0.0]
    total = {'new': [0, 0.0], 'anchor': [0, 0.0]}
    per_kind = {}
    for kind in KINDS:
        n_new = n_ref = 0
        c_new = c_ref = 0.0
        for i in range(a.scenes):
            seed = a.first + i
            c0 = time.process_time()
            s_new = scene_samples(seed, bank, a.size, kind=kind)
            c_new += time.process_time() - c0
            n_new += len(s_new)
            if ref:
                c0 = time.process_time()
                s_ref = ref[0](seed, ref[1], a.size, kind=kind)
                c_ref += time.process_time() - c0
                n_ref += len(s_ref)
                d = max_diff(s_new, s_ref)
                if d is None:
                    print(f'{kind} seed {seed}: {len(s_new)} views here, {len(s_ref)} in the anchor', flush=True)
                    worst = [np.inf] * 3
                else:
                    worst = [max(w, x) for w, x in zip(worst, d)]
        per_kind[kind] = (n_new / c_new, n_ref / c_ref if ref else None)
        line = f'{kind:9s} {n_new:3d} images  {n_new / c_new:6.2f} images/CPU-s'
        if ref:
            line += f'   anchor {n_ref / c_ref:6.2f}   x{(n_new / c_new) / (n_ref / c_ref):.2f}'
        print(line, flush=True)
        total['new'][0] += n_new
        total['new'][1] += c_new
        total['anchor'][0] += n_ref
        total['anchor'][1] += c_ref
    # the training mix: images/s of the kind weights (time per image averaged with the weights)
    mix_new = 1 / sum(w / per_kind[k][0] for k, w in zip(KINDS, KIND_WEIGHTS))
    line = f'training mix (kind weights {KIND_WEIGHTS}): {mix_new:.2f} images/CPU-s'
    if ref:
        mix_ref = 1 / sum(w / per_kind[k][1] for k, w in zip(KINDS, KIND_WEIGHTS))
        line += f'   anchor {mix_ref:.2f}   x{mix_new / mix_ref:.2f}'
        line += f'\nlargest difference to the anchor: rgb {worst[0]:g} (of 255), depth {worst[1]:g} m, normal {worst[2]:g}'
    print(line, flush=True)


if __name__ == '__main__':
    main()
