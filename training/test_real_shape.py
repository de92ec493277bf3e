"""real_shape.ground_rise against analytic ground planes: depth maps of a plane rising `deg` degrees away
from a level camera 1.6 m above it (fov 60) give back `deg`; sky pixels are ignored.

  /usr/bin/python3 -m unittest test_real_shape   (from training/)
"""
import math
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from real_shape import ground_rise  # noqa: E402


def plane_depth(deg, h=80, w=128, height=1.6, fov=60.0):
    """Depth along the view axis of the plane y = tan(deg) z - height (z = distance ahead), 0 where missed."""
    f = h / 2 / math.tan(math.radians(fov) / 2)
    v = -(np.arange(h)[:, None] + 0.5 - h / 2) / f * np.ones((1, w))  # ray y per unit z
    with np.errstate(divide='ignore'):
        z = -height / (v - math.tan(math.radians(deg)))
    return np.where(z > 0, z, 0.0)


class GroundRise(unittest.TestCase):
    def test_planes(self):
        for deg in (0, 10, 25, -5):
            d = plane_depth(deg)
            self.assertAlmostEqual(ground_rise(d, d <= 0), deg, places=3)

    def test_sky_ignored(self):
        d = plane_depth(12)
        sky = np.zeros(d.shape, bool)
        sky[70:, :40] = True
        d2 = d.copy()
        d2[sky] = 500.0  # a wrong depth under pixels called sky must not count
        self.assertAlmostEqual(ground_rise(d2, sky), 12, places=3)


if __name__ == '__main__':
    unittest.main()
