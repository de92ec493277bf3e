"""average.py against hand-computed means: two saved DepthNet checkpoints (weights set to 1 and 3, an
integer buffer to 5 and 7) average to 2 everywhere (floats) and keep the last one's integers; a missing
file is refused with one line.

  /usr/bin/python3 -m unittest test_average   (from training/)
"""
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from average import average, main  # noqa: E402
from model import DepthNet  # noqa: E402


class Average(unittest.TestCase):
    def test_mean(self):
        with tempfile.TemporaryDirectory() as d:
            paths = []
            for i, v in enumerate((1.0, 3.0)):
                sd = DepthNet().state_dict()
                for k, t in sd.items():
                    t.fill_(v if t.is_floating_point() else 5 + 2 * i)
                paths.append(os.path.join(d, f'{i}.pt'))
                torch.save(dict(model=sd, state=dict(step=i)), paths[-1])
            out = average(paths)
            for k, t in out['model'].items():
                want = 2.0 if t.is_floating_point() else 7
                self.assertTrue(bool((t == want).all()), k)
            self.assertEqual(out['state']['step'], 1)
            DepthNet().load_state_dict(out['model'])  # loads as a model

    def test_missing(self):
        with self.assertRaises(SystemExit) as e:
            main(['--out', '/tmp/never.pt', '/nonexistent/a.pt'])
        self.assertIn('average: expected checkpoints, found no file at /nonexistent/a.pt', str(e.exception))


if __name__ == '__main__':
    unittest.main()
