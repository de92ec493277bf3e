"""Photographic skies: the dome mapping against its analytic definition, which scenes get one, that it
leaves the scene's geometry alone, the hand-made table and the cache key (a few seconds).

  cd training && /usr/bin/python3 -m unittest scenes.test_sky
"""
import os
import tempfile
import unittest

import numpy as np

from . import worlds
from .render import SEAM, photo_sky_colour, render
from .camera import pose_matrix
from .sky_photos import HOLD_OUT, SKY_PHOTOS, photo_name
from .textures import TextureBank, bank_key


def direction(az, el):
    """Unit direction at azimuth az (atan2(x, z)) and elevation el (radians)."""
    return np.array([[np.cos(el) * np.sin(az), np.sin(el), np.cos(el) * np.cos(az)]])


class Bank(TextureBank):
    """A tiny bank: no surface textures to speak of, one synthetic 'photo' whose texel (i, j) holds
    (i, j, 0) so a lookup says which texel it read."""
    def __init__(self):
        h, w = 8, 16
        ii, jj = np.mgrid[0:h, 0:w]
        self.img = np.stack([ii, jj, np.zeros_like(ii)], -1).astype(np.float32)
        super().__init__(np.zeros((1, 4, 4, 3), np.float32), ['noise'])


class DomeMapping(unittest.TestCase):
    def setUp(self):
        b = Bank()
        h, w = b.img.shape[:2]
        self.h, self.w = h, w
        self.sp = dict(img=b.img, e_top=np.radians(30), period=np.radians(90), az0=np.radians(10),
                       top=np.array([-1.0, -1.0, -1.0], np.float32), top_row=np.full((w, 3), -2.0, np.float32))

    def lookup(self, az, el):
        return photo_sky_colour(self.sp, direction(az, el))[0]

    def test_rows_from_the_horizon_up_to_e_top(self):
        """Elevation e -> row (1 - e / e_top) * h from the top (truth: the definition in the docstring),
        read where the cross-fade does not mix two columns (x = 0.5)."""
        az = self.sp["az0"] + 0.52 / (1 - SEAM) * self.sp["period"]  # photo x = 0.52: column 8
        for el_deg, row in [(0.5, self.h - 1), (15.5, 3), (29.5, 0)]:
            c = self.lookup(az, np.radians(el_deg))
            self.assertEqual(c[0], row, f'elevation {el_deg}')
            self.assertEqual(c[1], self.w // 2)

    def test_columns_repeat_every_period(self):
        el = np.radians(10)
        for x in (0.33, 0.52, 0.71):  # away from texel edges (x * 16 not whole)
            az = self.sp['az0'] + x / (1 - SEAM) * self.sp['period']
            a, b = self.lookup(az, el), self.lookup(az + 3 * self.sp['period'], el)
            np.testing.assert_allclose(a, b, atol=1e-4)
            self.assertEqual(a[1], int(x * self.w))

    def test_no_seam_where_the_photo_repeats(self):
        """Just before and just after the end of a period the colour is the same column (the last SEAM
        of the photo is cross-faded into its start)."""
        el = np.radians(10)
        end = self.sp['az0'] + self.sp['period']
        before, after = self.lookup(end - 1e-4, el), self.lookup(end + 1e-4, el)
        np.testing.assert_allclose(before, after, atol=0.05)
        self.assertEqual(before[1], int((1 - SEAM) * self.w))

    def test_above_e_top_fades_to_the_top_colour(self):
        az = self.sp['az0'] + 0.5 / (1 - SEAM) * self.sp['period']
        np.testing.assert_allclose(self.lookup(az, np.radians(30 * 1.25)), [-1.5, -1.5, -1.5], atol=1e-5)  # half way
        np.testing.assert_allclose(self.lookup(az, np.radians(89)), [-1, -1, -1], atol=1e-6)  # zenith


class Scenes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.bank = TextureBank.load()

    def test_the_bank_holds_every_listed_photo(self):
        self.assertEqual(len(self.bank.sky), len(SKY_PHOTOS))
        self.assertEqual(self.bank.sky.shape[1:], (256, 512, 3))
        for path, frac, x0, x1, _ in SKY_PHOTOS:
            self.assertTrue(os.path.exists(path), path)
            self.assertTrue(path.startswith(('/usr/share/wallpapers/', '/usr/share/backgrounds/mate/')), path)
            self.assertTrue(0 < frac <= 1 and 0 <= x0 < x1 <= 1, path)

    def test_only_outdoor_kinds_get_a_photo_sky_about_half_of_them_never_a_held_out_one(self):
        got = {k: 0 for k in worlds.KINDS}
        names = set()
        n = 24
        for seed in range(n):
            for kind in worlds.KINDS:
                s, _ = worlds.build(kind, np.random.default_rng(seed), self.bank)
                got[kind] += s.sky_photo is not None
                names |= {s.sky_photo['name']} if s.sky_photo is not None else set()
        self.assertFalse(names & set(HOLD_OUT), names)
        self.assertGreaterEqual(len(names), 3, names)
        self.assertEqual(got['room'], 0)
        self.assertEqual(got['tabletop'], 0)
        outdoor = got['nature'] + got['forest'] + got['street']
        self.assertTrue(0.3 * 3 * n < outdoor < 0.7 * 3 * n, got)  # binomial(72, 0.5): 36 +- 4.2

    def test_the_photo_sky_leaves_the_geometry_as_it_was(self):
        """Depth of a photo-sky scene equals the depth of the same seed rendered with photo skies off
        (the choice is drawn from a side generator, not from the scene's)."""
        seed = next(sd for sd in range(100) if worlds.build('nature', np.random.default_rng(sd), self.bank)[0].sky_photo is not None)
        pose = pose_matrix([0, 2.0, 0], 0.4, 0.1, 0.0)
        s1, _ = worlds.build('nature', np.random.default_rng(seed), self.bank)
        p = worlds.PHOTO_SKY_P
        try:
            worlds.PHOTO_SKY_P = 0.0
            s0, _ = worlds.build('nature', np.random.default_rng(seed), self.bank)
        finally:
            worlds.PHOTO_SKY_P = p
        self.assertIsNone(s0.sky_photo)
        r0, r1 = render(s0, pose, 48, 32, 60, self.bank), render(s1, pose, 48, 32, 60, self.bank)
        np.testing.assert_array_equal(r0['depth'], r1['depth'])
        sky = r1['depth'] == 0
        self.assertTrue(sky.any())
        self.assertFalse(np.array_equal(r0['rgb'][sky], r1['rgb'][sky]))

    def test_a_cache_with_another_key_is_rebuilt(self):
        d = tempfile.mkdtemp(prefix='worldsplat-skycache-')
        key = np.array(bank_key())
        all_skies = np.array([photo_name(p[0]) for p in SKY_PHOTOS], dtype=str)
        for name, extra in [('old.npz', {}), ('other.npz', {'key': np.array('0123')}), ('same.npz', {'key': key, 'sky_names': all_skies}),
                            ('photoless.npz', {'key': key, 'sky_names': np.array([], dtype=str)})]:
            np.savez(os.path.join(d, name), textures=np.zeros((1, 4, 4, 3), np.uint8), kinds=np.array(['noise']), **extra)
        self.assertFalse(TextureBank._cache_is_current(os.path.join(d, 'old.npz')))  # format 1: no key
        self.assertFalse(TextureBank._cache_is_current(os.path.join(d, 'other.npz')))
        self.assertTrue(TextureBank._cache_is_current(os.path.join(d, 'same.npz')))
        # Built where the wallpaper packages were missing (a fresh machine before setup-system.sh): rebuilt
        # now that the photos are here (this test's other cases already need them: setUp's bank).
        self.assertFalse(TextureBank._cache_is_current(os.path.join(d, 'photoless.npz')))


if __name__ == '__main__':
    unittest.main()
