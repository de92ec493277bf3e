"""Uniform average of several checkpoints' weights (a 'soup' of one run's late checkpoints), written as a
checkpoint evaluate.py, sky_real.py and export.py read. Why: sky recall on real photos swung from one
checkpoint to the next; the mean of late checkpoints is one fixed rule for picking weights that does not
look at the held-out photos.

  /usr/bin/python3 training/average.py --out runs/cpu-proc/avg.pt runs/cpu-proc/step-5*.pt ...
"""
import argparse
import os
import sys

import torch


def average(paths):
    states = [torch.load(p, map_location='cpu', weights_only=False) for p in paths]
    out = {}
    for k, v in states[0]['model'].items():
        if v.is_floating_point():
            out[k] = sum(s['model'][k] for s in states) / len(states)
        else:  # integer buffers (batch-norm counters): the last checkpoint's
            out[k] = states[-1]['model'][k]
    state = dict(states[-1].get('state', {}))
    state['averaged_from'] = [os.path.relpath(p) for p in paths]
    return dict(model=out, state=state)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('ckpts', nargs='+')
    a = ap.parse_args(argv)
    missing = [p for p in a.ckpts if not os.path.exists(p)]
    if missing:
        raise SystemExit(f'average: expected checkpoints, found no file at {missing[0]}')
    torch.save(average(a.ckpts), a.out)
    print(f'wrote {a.out}: the mean of {len(a.ckpts)} checkpoints')


if __name__ == '__main__':
    main(sys.argv[1:])
