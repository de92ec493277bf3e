"""keep_real.py: the pull towards the teacher on real photos is zero for the teacher itself, grows as the
analytic value for a network that only shifts the log-depth, and never draws on the photos that judge
the worlds (docs/real, real_shape.py) or the held-out sky photos.

  /usr/bin/python3 training/test_keep_real.py
"""
import math
import os
import sys
import tempfile
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from keep_real import RealAnchor, anchor_files  # noqa: E402
from model import DepthNet  # noqa: E402
from real_shape import PHOTOS as JUDGED  # noqa: E402
from scenes.sky_photos import HOLD_OUT, photo_name  # noqa: E402


class Shifted(torch.nn.Module):
    """The teacher with its log-depth moved by `c`, everything else the same."""

    def __init__(self, net, c):
        super().__init__()
        self.net, self.c = net, c

    def forward(self, image, fov):
        d, conf, n, sky = self.net(image, fov)
        return d + self.c, conf, n, sky


class KeepReal(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.teacher = DepthNet().eval()
        with torch.no_grad():  # a teacher that calls the top of each picture sky, so both terms have pixels
            cls.teacher.head[-1].bias[5] = 0.0
        path = os.path.join(tempfile.mkdtemp(prefix='worldsplat-keep-real-'), 'photos.npz')
        rng = np.random.default_rng(0)
        np.savez(path, photos=rng.integers(0, 256, (3, 160, 256, 3), dtype=np.uint8), names=np.array(['a', 'b', 'c']))
        cls.anchor = RealAnchor(cls.teacher, path, 'cpu')

    def pull(self, net):
        return self.anchor.loss(net, np.random.default_rng(1), n=4, crop=64)

    def test_the_teacher_pays_only_its_own_sky_entropy(self):
        total, depth, sky = self.pull(self.teacher)
        self.assertLess(depth, 1e-3)
        # soft targets: what is left is the entropy of the teacher's sky output, the same again for a copy
        self.assertAlmostEqual(self.pull(Shifted(self.teacher, 0.0))[2], sky, places=5)

    def test_a_shift_of_the_log_depth_costs_its_analytic_value(self):
        for c in (0.1, 0.5):
            _, depth, _ = self.pull(Shifted(self.teacher, c))
            # mean |r| = c and sqrt(mean r^2 - 0.85 mean(r)^2) = sqrt(0.15) c on every ground pixel
            self.assertAlmostEqual(depth, c * (1 + math.sqrt(0.15)), delta=2e-3 + 0.01 * c)

    def test_the_judged_and_held_out_photos_are_never_anchors(self):
        names = {photo_name(f) for f in anchor_files()}
        if not names:
            self.skipTest('no wallpapers on this machine')
        self.assertFalse(names & (set(JUDGED) | set(HOLD_OUT)))
        self.assertGreaterEqual(len(names), 20)


if __name__ == '__main__':
    unittest.main()
