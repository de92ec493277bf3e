"""Rebuild a trainable checkpoint of the depth network from the shipped ONNX file.

Why: checkpoints live in training/runs, which git ignores, so a fresh machine has none; the ONNX file in
models/ is the one copy of the shipped weights that always survives. Training on from it (a lent GPU's
few minutes, say) needs a DepthNet checkpoint again.

The export folded every BatchNorm into the convolution before it (eval mode), so the ONNX holds W' and b'
with conv(x) * gamma / sigma + (beta - mu * gamma / sigma) = W' x + b'. Eval mode only needs that sum,
but training mode normalises each channel by its batch statistics, so the split between the convolution
and its BatchNorm matters there. We re-estimate it from data: with m and s the mean and spread of W' x
over a calibration batch, the convolution gets W' / s, the BatchNorm gamma = s, beta = b' + m, running
mean m / s and running variance 1 - eps. Eval mode then gives W' x + b' exactly, and training mode on
images like the calibration batch gives nearly the same (s (W' x - batch mean) / batch spread + b' + m).

  /usr/bin/python3 training/from_onnx.py models/worldsplat-depth.onnx training/runs/onnx/init.pt
"""
import argparse
import glob
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dataset import load_shards, to_tensors  # noqa: E402
from model import DepthNet  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def onnx_weights(path):
    """Initialiser name -> float32 array, with export.finish_graph's '_fp16' copies cast back."""
    model = onnx.load(path)
    weights = {}
    for init in model.graph.initializer:
        name = init.name[:-5] if init.name.endswith('_fp16') else init.name
        weights[name] = numpy_helper.to_array(init).astype(np.float32)
    # the exporter shares equal initialisers (an untrained network's zero biases) through Identity nodes
    for n in model.graph.node:
        if n.op_type == 'Identity' and n.input[0] in weights:
            weights[n.output[0]] = weights[n.input[0]]
    convs = [(n.input[1], n.input[2] if len(n.input) > 2 else None) for n in model.graph.node if n.op_type == 'Conv']
    return weights, convs


def widths_in(weights, convs, onnx_path):
    """DepthNet's widths from the ONNX weights' shapes: the head's input, the skip convolutions of the first
    two down blocks (the 4th and 7th Conv nodes), the fuse layer's output and the context layer."""
    try:
        return (int(weights['net.head.1.weight'].shape[1]), int(weights[convs[3][0]].shape[0]), int(weights[convs[6][0]].shape[0]),
                int(weights['net.fuse.weight'].shape[0]), int(weights['net.context.0.weight'].shape[0]))
    except (KeyError, IndexError):
        raise ValueError(f'{onnx_path}: expected the depth network (net.head, net.fuse, net.context weights), found {len(convs)} Conv nodes without them') from None


def convs_in_order(net):
    """The network's Conv2d modules in the order a forward pass runs them, each with the BatchNorm that
    follows it in its Sequential (or None): the order the exporter wrote the Conv nodes in."""
    names = {m: n for n, m in net.named_modules()}
    following = {}
    for seq in net.modules():
        if isinstance(seq, nn.Sequential):
            kids = list(seq)
            for a, b in zip(kids, kids[1:]):
                if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                    following[a] = b
    order = []
    hooks = [m.register_forward_hook(lambda m, i, o: order.append(m)) for m in net.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        net.eval()(torch.rand(1, 3, 32, 32), torch.tensor([60.0]))
    for h in hooks:
        h.remove()
    return [(names[c], c, following.get(c)) for c in order]


def load_folded(net, weights, onnx_convs, onnx_path):
    """Put the ONNX weights (onnx_weights) into `net` with every BatchNorm an identity around the folded bias."""
    convs = convs_in_order(net)
    if len(convs) != len(onnx_convs):
        raise ValueError(f'{onnx_path}: expected {len(convs)} Conv nodes (DepthNet), found {len(onnx_convs)}')
    names = {m: n for n, m in net.named_modules()}
    assigned = set()  # parameter names of `net` given a value
    with torch.no_grad():
        for (name, conv, bn), (w_name, b_name) in zip(convs, onnx_convs):
            w = torch.from_numpy(weights[w_name])
            if w.shape != conv.weight.shape:
                raise ValueError(f'{onnx_path}: expected {name} weights of shape {tuple(conv.weight.shape)}, found {tuple(w.shape)}')
            conv.weight.copy_(w)
            b = torch.from_numpy(weights[b_name]) if b_name else torch.zeros(conv.out_channels)
            if bn is None:
                conv.bias.copy_(b)
                assigned.update((name + '.weight', name + '.bias'))
            else:
                bn.weight.fill_(1.0)
                bn.bias.copy_(b)
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
                assigned.update((name + '.weight', names[bn] + '.weight', names[bn] + '.bias'))
        for name, p in net.named_parameters():  # what the exporter left unfolded keeps its name (net.<name>)
            if name not in assigned and 'net.' + name in weights:
                p.copy_(torch.from_numpy(weights['net.' + name]).view_as(p))
                assigned.add(name)
    missing = [n for n, _ in net.named_parameters() if n not in assigned]
    if missing:
        raise ValueError(f'{onnx_path}: expected weights for {missing[0]}, found none')
    return convs


@torch.no_grad()
def calibrate(net, convs, images, fov):
    """Split each folded convolution back into conv + BatchNorm from the statistics of `images`."""
    stats = {}
    hooks = []
    for name, conv, bn in convs:
        if bn is not None:
            def grab(m, i, o, name=name):
                stats[name] = (o.mean(dim=(0, 2, 3)), o.std(dim=(0, 2, 3)))
            hooks.append(conv.register_forward_hook(grab))
    net.eval()(images, fov)
    for h in hooks:
        h.remove()
    for name, conv, bn in convs:
        if bn is None:
            continue
        m, s = stats[name]
        s = s.clamp_min(1e-3)  # a channel that never fires keeps a sane scale
        conv.weight.div_(s.view(-1, 1, 1, 1))
        bn.weight.copy_(s)
        bn.bias.add_(m)
        bn.running_mean.copy_(m / s)
        bn.running_var.fill_(1.0 - bn.eps)


def calibration_batch(shards, n=64, seed=0):
    """`n` training images picked at random (never the val or test split), whole, as the network takes them."""
    paths = sorted(p for p in glob.glob(os.path.join(shards, 'shard_*.npz')) if not p.endswith('.tmp.npz'))
    if not paths:
        raise ValueError(f'calibration images: expected shards in {shards}, found none (scenes.generate writes them)')
    d = load_shards(paths)
    pick = np.random.default_rng(seed).choice(len(d['rgb']), size=min(n, len(d['rgb'])), replace=False)
    image, _, _, fov = to_tensors(d['rgb'][pick], d['depth'][pick], d['normal'][pick], d['fov'][pick])
    return image, fov


def rebuild(onnx_path, images, fov):
    weights, onnx_convs = onnx_weights(onnx_path)
    net = DepthNet(widths_in(weights, onnx_convs, onnx_path))
    convs = load_folded(net, weights, onnx_convs, onnx_path)
    calibrate(net, convs, images, fov)
    return net


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('onnx')
    ap.add_argument('out')
    ap.add_argument('--calibration', default=os.path.join(HERE, 'data', 'train'), help='training shards to calibrate on')
    ap.add_argument('--images', type=int, default=64)
    a = ap.parse_args(argv)
    images, fov = calibration_batch(a.calibration, a.images)
    net = rebuild(a.onnx, images, fov)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    torch.save(dict(model=net.state_dict(), state=dict(step=0, images=0, elapsed=0.0, best=float('inf'), lr_scale=1.0),
                    source=dict(onnx=os.path.abspath(a.onnx), calibration=a.calibration, images=len(images))), a.out)
    print(f'{a.onnx} -> {a.out} (calibrated on {len(images)} images of {a.calibration})')


if __name__ == '__main__':
    main()
