"""from_onnx.py rebuilds a trainable DepthNet from an exported ONNX file: a network with BatchNorm statistics
of its own is exported the way export.py does it (folded, fp16 weights), rebuilt, and must give the same
outputs in eval mode and nearly the same in training mode on images like its calibration batch.

  /usr/bin/python3 training/test_from_onnx.py
"""
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import finish_graph, to_onnx  # noqa: E402
from from_onnx import rebuild  # noqa: E402
from model import DepthNet  # noqa: E402


def images(n, seed):
    g = torch.Generator().manual_seed(seed)
    # smooth random pictures: a few coloured blobs, so the statistics look like images rather than noise
    base = torch.rand(n, 3, 8, 8, generator=g)
    return torch.nn.functional.interpolate(base, size=(64, 64), mode='bilinear', align_corners=False), \
        40 + 50 * torch.rand(n, generator=g)


def trained_net():
    """A DepthNet whose BatchNorms hold statistics and affine weights far from their defaults."""
    torch.manual_seed(0)
    net = DepthNet()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 2.0)
                m.bias.uniform_(-0.3, 0.3)
    net.train()
    for i in range(20):  # running statistics of the kind of images the test uses
        with torch.no_grad():
            net(*images(16, 100 + i))
    return net.eval()


class FromOnnx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.net = trained_net()
        cls.dir = tempfile.mkdtemp(prefix='worldsplat-from-onnx-')
        cls.path = os.path.join(cls.dir, 'depth.onnx')
        to_onnx(cls.net, cls.path)
        finish_graph(cls.path, fov_input=True)
        cls.calibration = images(64, 1)
        cls.rebuilt = rebuild(cls.path, *cls.calibration)

    def test_eval_outputs_match_the_original(self):
        x, fov = images(8, 2)
        with torch.no_grad():
            want = self.net(x, fov)
            got = self.rebuilt.eval()(x, fov)
        # fp16 weights are all that separates them: log-depth within a few thousandths
        self.assertLess((want[0] - got[0]).abs().max().item(), 0.02)
        self.assertLess((want[3] - got[3]).abs().max().item(), 0.01)
        # and the rebuilt net is not the untrained one
        with torch.no_grad():
            fresh = DepthNet().eval()(x, fov)[0]
        self.assertGreater((want[0] - fresh).abs().mean().item(), 0.05)

    def test_training_mode_starts_where_eval_mode_is(self):
        x, fov = self.calibration
        with torch.no_grad():
            eval_out = self.rebuilt.eval()(x, fov)[0]
            train_out = self.rebuilt.train()(x, fov)[0]
        self.rebuilt.eval()
        self.assertLess((eval_out - train_out).abs().mean().item(), 0.01)

    def test_a_wider_or_narrower_network_rebuilds_at_its_own_size(self):
        from model import WIDTHS, widths_of
        narrow = DepthNet(tuple(w // 2 for w in WIDTHS)).eval()
        path = os.path.join(self.dir, 'narrow.onnx')
        to_onnx(narrow, path)
        finish_graph(path, fov_input=True)
        rebuilt = rebuild(path, *self.calibration).eval()
        self.assertEqual(widths_of(rebuilt.state_dict()), tuple(w // 2 for w in WIDTHS))
        x, fov = images(4, 3)
        with torch.no_grad():
            self.assertLess((narrow(x, fov)[0] - rebuilt(x, fov)[0]).abs().max().item(), 0.02)

    def test_another_network_is_refused(self):
        path = os.path.join(self.dir, 'other.onnx')
        other = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(), torch.nn.Conv2d(8, 1, 3)).eval()
        torch.onnx.export(other, torch.rand(1, 3, 16, 16), path, opset_version=17)
        with self.assertRaisesRegex(ValueError, 'expected the depth network .* found 2 Conv nodes'):
            rebuild(path, *self.calibration)

if __name__ == '__main__':
    unittest.main()
