"""Export the completion network: models/worldsplat-complete.onnx, its manifest entry 'complete', the
held-out metrics and the (thinned) training log next to it.

The ONNX graph (opset 17, dynamic N/H/W; H, W multiples of 16), inputs and outputs as in model.py:
  inputs   image [N,3,H,W] sRGB 0..1, log_depth [N,1,H,W], hole [N,1,H,W], sky [N,1,H,W], fov_deg [N]
  outputs  rgb [N,3,H,W] sRGB 0..1, log_depth [N,1,H,W] log metres, sky [N,1,H,W] 0..1
Weights float16, cast to float32 in the graph (the same post-processing as the depth model's export).
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from export import finish_graph, sha256, thin_log  # noqa: E402  (training/export.py)
from complete.model import count_params  # noqa: E402

OPSET = 17
ONNX_NAME = 'worldsplat-complete.onnx'
INPUTS = ['image', 'log_depth', 'hole', 'sky', 'fov_deg']
OUTPUTS = ['rgb', 'log_depth_out', 'sky_out']


def to_onnx(net, path):
    net = net.eval()
    g = torch.Generator().manual_seed(0)
    args = (torch.rand(1, 3, 64, 96, generator=g), torch.zeros(1, 1, 64, 96), torch.zeros(1, 1, 64, 96),
            torch.zeros(1, 1, 64, 96), torch.tensor([60.0]))
    dyn = {n: {0: 'n', 2: 'h', 3: 'w'} for n in INPUTS[:4] + OUTPUTS}
    dyn['fov_deg'] = {0: 'n'}
    torch.onnx.export(net, args, path, opset_version=OPSET, do_constant_folding=True,
                      input_names=INPUTS, output_names=OUTPUTS, dynamic_axes=dyn)


def manifest_entry(path, resolution):
    plane = lambda name, meaning: dict(name=name, kind='map', layout='NCHW', meaning=meaning)
    return dict(
        id='complete',
        name='WorldSplat completion (compact U-Net: a partial view with holes in, a full view out; trained on procedural scenes)',
        file=os.path.basename(path),
        bytes=os.path.getsize(path),
        sha256=sha256(path),
        licence=dict(id='MIT', nonCommercial=False),
        task='complete',
        source='trained by the project: training/complete (npm run train-completion); metrics in worldsplat-complete.metrics.json',
        inputs=[dict(name='image', kind='image', layout='NCHW', channels='RGB', valueRange=[0, 1], mean=[0, 0, 0], std=[1, 1, 1],
                     resize=dict(mode='stretch', longSide=resolution, multipleOf=16)),
                plane('log_depth', 'log-depth'), plane('hole', 'hole'), plane('sky', 'sky'),
                dict(name='fov_deg', kind='vertical-fov-degrees', default=60.0)],
        outputs=[dict(name='rgb', layout='NCHW', meaning='rgb'),
                 dict(name='log_depth_out', layout='NCHW', meaning='log-depth', units='log metres'),
                 dict(name='sky_out', layout='NCHW', meaning='sky')],
    )


def write_manifest(entry, models_dir):
    p = os.path.join(models_dir, 'manifest.json')
    man = json.load(open(p)) if os.path.exists(p) else dict(version=1, models=[])
    man['models'] = [e for e in man['models'] if e.get('id') != entry['id']] + [entry]
    with open(p, 'w') as f:
        json.dump(man, f, indent=2)
        f.write('\n')


def export(net, metrics, models_dir, log_path, resolution):
    os.makedirs(models_dir, exist_ok=True)
    path = os.path.join(models_dir, ONNX_NAME)
    tmp = path + '.tmp'
    to_onnx(net, tmp)
    finish_graph(tmp, fov_input=True)
    os.replace(tmp, path)
    entry = manifest_entry(path, resolution)
    write_manifest(entry, models_dir)
    metrics = dict(onnx=dict(file=ONNX_NAME, bytes=entry['bytes'], sha256=entry['sha256'], opset=OPSET,
                             weights='float16 (cast to float32 in the graph)', onnx_checker='passed (full_check)'),
                   parameters=count_params(net), run_resolution_long_side=resolution, **metrics)
    with open(path.replace('.onnx', '.metrics.json'), 'w') as f:
        json.dump(metrics, f, indent=1)
        f.write('\n')
    if os.path.exists(log_path):
        thin_log(log_path, path.replace('.onnx', '.log.jsonl'), every=5)
    print(f'wrote {path} ({entry["bytes"] / 1e6:.2f} MB), manifest entry "complete"', flush=True)
    return entry
