"""Sky replacement (sky_swap.py) against what it promises, on made-up images and a made-up sky photo:
  - pixels that are not sky (depth > 0) are left exactly as they were, and so is every image not chosen;
  - the photo's top lands on the image's top row and its bottom (the horizon) on the lowest sky row,
    checked with a sky photo whose brightness is its own row position (ratios, so the random per-channel
    gain cancels);
  - sunset grading gives warm light near the horizon (red above blue);
  - procedural skies (sky_procedural.py): again only sky pixels change and depth is left alone; they
    vary (no two of 48 nearly equal, even at 8x8; both blue-topped and warm-horizon ones; clouds, i.e.
    detail within a row, in many); the default (procedural=0) is the photo path as before.

  /usr/bin/python3 -m unittest test_sky_swap   (from training/)
"""
import os
import sys
import unittest

import numpy as np
import torch
import torch.nn.functional as F

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


class ProceduralSkies(unittest.TestCase):
    def skies(self, n=48, seed=3, horizon=20):
        image, depth = scene(n=n, h=48, w=48, horizon=horizon)
        before = depth.clone()
        out = swap_sky(np.random.default_rng(seed), image, depth, None, p=1.0, procedural=1.0)
        self.assertTrue(torch.equal(depth, before))
        return image, depth, out

    def test_only_sky_changes(self):
        image, depth, out = self.skies()
        ground = (depth > 0).expand_as(image)
        self.assertTrue(torch.equal(out[ground], image[ground]))
        self.assertTrue(bool(((out[~ground] - 0.5).abs().view(len(out), -1).amax(dim=1) > 0.05).all()))
        self.assertTrue(bool(((out >= 0) & (out <= 1)).all()))

    def test_variety(self):
        _, _, out = self.skies()
        sky = out[:, :, :20]
        small = F.adaptive_avg_pool2d(sky, (5, 8)).flatten(1)  # the coarse layout of each sky
        dist = torch.cdist(small, small) / small.shape[1] ** 0.5  # RMS difference per value
        dist.fill_diagonal_(1.0)
        self.assertGreater(dist.min().item(), 0.01)
        top, low = sky[:, :, 0].mean(dim=2), sky[:, :, 19].mean(dim=2)  # [n, 3]: top row, horizon row
        blue_top = (top[:, 2] > top[:, 0] + 0.1).float().mean().item()
        warm_horizon = (low[:, 0] > low[:, 2] + 0.15).float().mean().item()
        self.assertGreater(blue_top, 0.3)
        self.assertGreater(warm_horizon, 0.15)
        # clouds: brightness varying along rows (a pure gradient is constant along each row, bar the sun)
        along = sky.mean(dim=1).std(dim=2).mean(dim=1)
        self.assertGreater((along > 0.03).float().mean().item(), 0.3)

    def test_seeds_differ_and_repeat(self):
        _, _, a = self.skies(n=4, seed=7)
        _, _, b = self.skies(n=4, seed=7)
        _, _, c = self.skies(n=4, seed=8)
        self.assertTrue(torch.equal(a, b))
        self.assertGreater((a - c).abs().mean().item(), 0.02)

    def test_default_is_the_photo_path(self):
        image, depth = scene()
        a = swap_sky(np.random.default_rng(4), image, depth, row_sky(), p=1.0)
        b = swap_sky(np.random.default_rng(4), image, depth, row_sky(), p=1.0, procedural=0.0)
        self.assertTrue(torch.equal(a, b))
        # with a share of procedural skies, the rest still come from the photo: rows constant along x
        c = swap_sky(np.random.default_rng(4), *scene(n=32), row_sky(), p=1.0, sunset=0.0, procedural=0.5)
        flat = (c[:, :, :12].std(dim=3).amax(dim=(1, 2)) < 1e-4).float().mean().item()
        self.assertGreater(flat, 0.2)
        self.assertLess(flat, 0.8)


if __name__ == '__main__':
    unittest.main()
