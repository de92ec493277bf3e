"""The far kinds (worlds.build_lake, build_plain) and how they are drawn (generate.far_kind):
  - far_share 0 draws nothing, so every existing seed keeps its kind and scene (the pinned test,
    test_pinned.py, checks the val/test pictures themselves); far_share 1 makes every seed far;
  - far kinds cannot be asked for on the held-out seeds (>= 900M);
  - they do what they are for: land (depth > 0) beyond 50 m, which the five other kinds show in ~2% of
    their ground pixels (a sample of 2,500 training images: nature 4.7%, street 5.1%, room 0.2%),
    is several times as common in lake and plain views (against nature and street, same seeds, same run).

  cd training && /usr/bin/python3 -m unittest scenes.test_far
"""
import unittest

import numpy as np

from .generate import far_kind, scene_samples, write_shards
from .test_pinned import small_bank
from . import textures


class FarKinds(unittest.TestCase):
    def test_draw(self):
        seeds = range(400_000_000, 400_000_200)
        self.assertTrue(all(far_kind(s, 0.0) is None for s in seeds))
        self.assertTrue(all(far_kind(s, 1.0) in ('lake', 'plain') for s in seeds))
        share = np.mean([far_kind(s, 0.5) is not None for s in seeds])
        self.assertTrue(0.35 < share < 0.65, share)
        kinds = [far_kind(s, 1.0) for s in seeds]
        self.assertTrue(0.3 < kinds.count('lake') / len(kinds) < 0.7)

    def test_held_out_seeds_refused(self):
        with self.assertRaises(ValueError):
            write_shards('/nonexistent', 899_999_990, 20, 10, 32, None, far_share=0.5)

    def far_share(self, kinds, seeds=8):
        bank = small_bank(textures)
        far, ground = 0, 0
        for kind in kinds:
            for seed in range(seeds):
                for s in scene_samples(400_000_000 + seed, bank, 48, views=1, kind=kind):
                    d = s['depth'].astype(np.float64)
                    far += int((d > 50).sum())
                    ground += int((d > 0).sum())
        return far / ground

    def test_far_land(self):
        new, old = self.far_share(('lake', 'plain')), self.far_share(('nature', 'street'))
        self.assertGreater(new, 0.1)
        self.assertGreater(new, 2 * old)


if __name__ == '__main__':
    unittest.main()
