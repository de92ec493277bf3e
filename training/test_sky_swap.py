"""Sky replacement (sky_swap.py) against what it promises, on made-up images and a made-up sky photo:
  - pixels that are not sky (depth > 0) are left exactly as they were, and so is every image not chosen;
  - the photo's top lands on the image's top row and its bottom (the horizon) on the lowest sky row,
    checked with a sky photo whose brightness is its own row position (ratios, so the random per-channel
    gain cancels);
  - sunset grading gives warm light near the horizon (red above blue).

  /usr/bin/python3 -m unittest test_sky_swap   (from training/)
"""
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sky_swap import swap_sky  # noqa: E402


def scene(n=4, h=32, w=32, horizon=12):
    """Grey images with sky (depth 0) in the rows above `horizon`, ground (depth 5 m) below."""
    image = torch.full((n, 3, h, w), 0.5)
    depth = torch.full((n, 1, h, w), 5.0)
    depth[:, :, :horizon] = 0
    return image, depth


def row_sky(h=256, w=512):
    """A sky photo whose value at row y is 0.2 + 0.6 (y + 0.5) / h in every channel."""
    v = 0.2 + 0.6 * (torch.arange(h).float() + 0.5) / h
    return v.view(1, 1, h, 1).expand(1, 3, h, w).contiguous()


class SkySwap(unittest.TestCase):
    def test_ground_untouched_and_sky_replaced(self):
        image, depth = scene()
        out = swap_sky(np.random.default_rng(0), image, depth, row_sky(), p=1.0, sunset=0.0)
        ground = (depth > 0).expand_as(image)
        self.assertTrue(torch.equal(out[ground], image[ground]))
        self.assertGreater((out[~ground] - 0.5).abs().mean().item(), 0.05)

    def test_p_zero_and_no_sky(self):
        image, depth = scene()
        self.assertTrue(torch.equal(swap_sky(np.random.default_rng(0), image, depth, row_sky(), p=0.0), image))
        no_sky = torch.full_like(depth, 3.0)
        self.assertTrue(torch.equal(swap_sky(np.random.default_rng(0), image, no_sky, row_sky(), p=1.0), image))
        self.assertTrue(torch.equal(swap_sky(np.random.default_rng(0), image, depth, None, p=1.0), image))

    def test_photo_horizon_on_lowest_sky_row(self):
        h, horizon = 32, 12
        image, depth = scene(n=8, h=h, horizon=horizon)
        out = swap_sky(np.random.default_rng(1), image, depth, row_sky(), p=1.0, sunset=0.0)
        # Target row r of `horizon` sky rows samples the photo at (r + 0.5) / horizon of its height.
        expect = 0.2 + 0.6 * (torch.arange(horizon).float() + 0.5) / horizon
        for i in range(len(out)):
            rows = out[i, 0, :horizon].mean(dim=1)  # one value per row (the photo is constant along rows)
            ratio = rows / rows[-1]
            torch.testing.assert_close(ratio, expect / expect[-1], atol=0.01, rtol=0)

    def test_sunset_is_warm_at_the_horizon(self):
        image, depth = scene(n=8)
        bright = torch.ones(1, 3, 64, 128) * 0.9
        out = swap_sky(np.random.default_rng(2), image, depth, bright, p=1.0, sunset=1.0)
        horizon_row = out[:, :, 11]
        self.assertTrue(bool((horizon_row[:, 0] > horizon_row[:, 2] + 0.2).all()))


if __name__ == '__main__':
    unittest.main()
