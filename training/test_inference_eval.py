"""inference_eval.AppInference against hand-worked cases, with a stand-in network whose outputs are
known functions of its input: the padded grid and its field of view match preprocess.ts's rules worked
out by hand, the mirror average of a column-dependent output is the hand-computed mean, normals' x is
negated in the mirror, and 'd' keeps the first run's sky.

  /usr/bin/python3 -m unittest test_inference_eval   (from training/)
"""
import math
import os
import sys
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from inference_eval import AppInference, parse_config  # noqa: E402


class Columns(torch.nn.Module):
    """log-depth = red + 2 * column, confidence = red, normals = (0.6, 0, 0.8), sky = column / width."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, x, fov):
        self.seen.append((tuple(x.shape[-2:]), float(fov[0])))
        n, _, h, w = x.shape
        col = torch.arange(w, dtype=x.dtype).view(1, 1, 1, w).expand(n, 1, h, w)
        normals = torch.tensor([0.6, 0.0, 0.8]).view(1, 3, 1, 1).expand(n, 3, h, w)
        return x[:, :1] + 2 * col, x[:, :1].clone(), normals, col / w


class AppInferenceTest(unittest.TestCase):
    def test_padded_grid_and_fov(self):
        # A 120x90 picture at long side 96: 96x72, padded to 96x80 (4 rows above and below); the focal
        # length 45 / tan(30 deg) scales by 0.8, and the padded grid's 80 rows span 2 atan(40 / f).
        net = Columns()
        out = AppInference(net, 96)(torch.rand(1, 3, 90, 120), torch.tensor([60.0]))
        (size, fov), = net.seen
        self.assertEqual(size, (80, 96))
        focal = 45 / math.tan(math.radians(30)) * 0.8
        self.assertAlmostEqual(fov, math.degrees(2 * math.atan(40 / focal)), places=4)
        self.assertEqual(tuple(out[0].shape), (1, 1, 90, 120))

    def test_identity_at_its_own_size(self):
        x = torch.rand(2, 3, 96, 128)
        out = AppInference(Columns(), 128)(x, torch.tensor([50.0, 50.0]))
        self.assertTrue(torch.equal(out[1], x[:, :1]))

    def test_mirror_average(self):
        x = torch.rand(1, 3, 96, 128)
        w = 128
        col = torch.arange(w, dtype=x.dtype).view(1, 1, 1, w)
        for config, sky in (('128m', (w - 1) / (2 * w) * torch.ones_like(col)), ('128d', col / w)):
            long_side, mirror, mirror_sky = parse_config(config)
            log_d, conf, normals, got_sky = AppInference(Columns(), long_side, mirror, mirror_sky)(x, torch.tensor([60.0]))
            # first run: red_j + 2 j; the mirror's, mirrored back: red_j + 2 (w - 1 - j)
            self.assertTrue(torch.allclose(log_d, x[:, :1] + (w - 1), atol=1e-5), config)
            self.assertTrue(torch.allclose(conf, x[:, :1]), config)
            # (0.6, 0, 0.8) and (-0.6, 0, 0.8) average to (0, 0, 0.8): unit (0, 0, 1)
            self.assertTrue(torch.allclose(normals, torch.tensor([0.0, 0.0, 1.0]).view(1, 3, 1, 1).expand_as(normals), atol=1e-6), config)
            self.assertTrue(torch.allclose(got_sky, sky.expand_as(got_sky), atol=1e-6), config)


if __name__ == '__main__':
    unittest.main()
