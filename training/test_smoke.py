"""CI smoke test of the training pipeline, end to end on tiny data (about two minutes on one core):
generate a few 64x64 scenes -> train one minute -> evaluate -> export ONNX (checked) -> manifest entry;
the same for the completion model (training/complete) in a few seconds.

  /usr/bin/python3 training/test_smoke.py
"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import export  # noqa: E402
import train  # noqa: E402
from evaluate import evaluate  # noqa: E402
from scenes.camera import intrinsics, pose_matrix  # noqa: E402
from scenes.generate import scene_samples  # noqa: E402
from scenes.textures import TextureBank  # noqa: E402


class Smoke(unittest.TestCase):
    def test_scene_depth_is_exact(self):
        """A camera 1.5 m above an infinite ground plane, looking level: the depth of the pixel row
        v below the centre is h * f / (v - cy) (independent truth: similar triangles)."""
        from scenes.primitives import Plane
        from scenes.render import render
        from scenes.worlds import Scene
        bank = TextureBank.load()
        s = Scene(np.random.default_rng(0), bank)
        s.outdoor_light()
        s.fog_density = 0.0
        s.add(Plane([0, 0, 0], [0, 1, 0], s.material('grass', 1.0)))
        out = render(s, pose_matrix([0, 1.5, 0], 0.3, 0.0, 0.0), 32, 32, 60.0, bank)
        f, _, _, cy = intrinsics(32, 32, 60.0)
        for row in (20, 25, 31):
            want = 1.5 * f / (row + 0.5 - cy)
            self.assertAlmostEqual(float(out['depth'][row, 7]), want, delta=want * 1e-4)
        self.assertTrue((out['depth'][:16] == 0).all(), 'upper half is sky')
        np.testing.assert_allclose(out['normal'][20, 7], [0, 1, 0], atol=1e-5)  # level camera: up is +y

    def test_samples_have_poses(self):
        bank = TextureBank.load()
        ss = scene_samples(1_000_000_123, bank, 32, views=2, kind='room')
        self.assertGreaterEqual(len(ss), 1)
        for smp in ss:
            self.assertEqual(smp['rgb'].shape, (32, 32, 3))
            r = smp['pose'][:3, :3]
            np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-5)

    def test_warp_of_a_wall(self):
        """Completion pairs: a wall at 4 m seen from the origin, re-seen from 0.5 m to the right, shifts
        left by f * 0.5 / 4 pixels (independent truth: similar triangles); the strip it leaves on the
        right is the hole; depth stays 4 m; a view warped onto itself comes back exactly."""
        from complete.warp import forward_warp
        w = h = 64
        f = intrinsics(w, h, 60.0)[0]
        rgb = np.zeros((h, w, 3), np.float32)
        rgb[..., 0] = (np.arange(w) + 0.5) / w  # colour ramp along x: tells which column landed where
        depth = np.full((h, w), 4.0, np.float32)
        a, b = pose_matrix([0, 0, 0], 0, 0, 0), pose_matrix([0.5, 0, 0], 0, 0, 0)
        out, d, hole = forward_warp(rgb, depth, a, b, 60.0)
        shift = f * 0.5 / 4
        self.assertEqual(int(hole[:, :w - int(np.ceil(shift)) - 1].sum()), 0)
        self.assertTrue(hole[:, w - int(np.floor(shift)) + 1:].all())
        np.testing.assert_allclose(d[~hole], 4.0, rtol=1e-5)
        x = np.arange(w - int(np.ceil(shift)) - 1)
        np.testing.assert_allclose(out[10, x, 0], (x + 0.5 + shift) / w, atol=1.01 / w)  # nearest source pixel
        same, d2, hole2 = forward_warp(rgb, depth, a, a, 60.0)
        self.assertFalse(hole2.any())
        np.testing.assert_allclose(same, rgb, atol=1e-6)

    def test_completion_pipeline(self):
        """npm run train-completion --smoke: pairs -> train seconds -> held-out vs push-pull -> ONNX + manifest."""
        from complete.train import main as train_complete
        run, res = train_complete(['--smoke'])
        self.assertGreater(res['held_out']['pairs'], 0)
        self.assertIn('pushpull', res['held_out'])
        models = os.path.join(os.path.dirname(run), 'models')
        m = onnx.load(os.path.join(models, 'worldsplat-complete.onnx'))
        self.assertEqual([i.name for i in m.graph.input], ['image', 'log_depth', 'hole', 'sky', 'fov_deg'])
        self.assertEqual([o.name for o in m.graph.output], ['rgb', 'log_depth_out', 'sky_out'])
        entry = [e for e in json.load(open(os.path.join(models, 'manifest.json')))['models'] if e['id'] == 'complete'][0]
        self.assertEqual(entry['bytes'], os.path.getsize(os.path.join(models, 'worldsplat-complete.onnx')))
        self.assertLess(entry['bytes'], 10e6)

    def test_sky_loss_weighs_surface_pixels(self):
        """The sky term against a hand computation on a 16x16 picture: sky above (depth 0, sky output 0.9),
        a surface below (output 0.2 and 0.7 in alternate columns); with --sky-surface-weight 3 a surface
        pixel counts three times a sky pixel, and the default is the plain mean."""
        depth = torch.zeros(1, 1, 16, 16)
        depth[..., 8:, :] = 2.0
        sky = torch.full((1, 1, 16, 16), 0.9)
        sky[..., 8:, 0::2], sky[..., 8:, 1::2] = 0.2, 0.7
        normal = torch.zeros(1, 3, 16, 16)
        normal[:, 2] = 1.0
        out = (torch.zeros(1, 1, 16, 16), torch.full((1, 1, 16, 16), 0.5), normal, sky)
        b_sky, b_a, b_b = -np.log(0.9), -np.log(0.8), -np.log(0.3)
        _, plain = train.losses(out, depth, normal)
        _, weighted = train.losses(out, depth, normal, sky_surface_weight=3.0)
        self.assertAlmostEqual(plain['sky'], (128 * b_sky + 64 * b_a + 64 * b_b) / 256, places=5)
        self.assertAlmostEqual(weighted['sky'], (128 * b_sky + 3 * 64 * (b_a + b_b)) / (128 + 3 * 128), places=5)

    def test_pipeline(self):
        run = train.main(['--smoke'])
        ckpt = os.path.join(run, 'last.pt')
        self.assertTrue(os.path.exists(ckpt))
        log = [json.loads(l) for l in open(os.path.join(run, 'log.jsonl'))]
        self.assertEqual(log[-1]['event'], 'end')
        self.assertGreater(log[-1]['step'], 0)
        data = os.path.dirname(run)
        res = evaluate(ckpt, os.path.join(data, 'val'), os.path.join(data, 'train'))
        self.assertGreater(res['model']['images'], 0)
        out = tempfile.mkdtemp(prefix='worldsplat-smoke-export-')
        export.main(['--ckpt', ckpt, '--models', out, '--no-eval'])
        m = onnx.load(os.path.join(out, 'worldsplat-depth.onnx'))
        onnx.checker.check_model(m)
        self.assertEqual([i.name for i in m.graph.input], ['image', 'fov_deg'])
        self.assertEqual([o.name for o in m.graph.output], ['log_depth', 'confidence', 'normals', 'sky'])
        size = os.path.getsize(os.path.join(out, 'worldsplat-depth.onnx'))
        self.assertLess(size, 10e6)
        man = json.load(open(os.path.join(out, 'manifest.json')))
        entry = [e for e in man['models'] if e['id'] == 'builtin'][0]
        self.assertEqual(entry['bytes'], size)


if __name__ == '__main__':
    torch.set_num_threads(1)
    unittest.main()
