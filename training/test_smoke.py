"""CI smoke test of the training pipeline, end to end on tiny data (about two minutes on one core):
generate a few 64x64 scenes -> train one minute -> evaluate -> export ONNX (checked) -> manifest entry.

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
