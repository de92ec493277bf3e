"""Export a checkpoint to models/worldsplat-depth.onnx and its entry "builtin" in models/manifest.json.

  /usr/bin/python3 training/export.py                                # best checkpoint of runs/main
  /usr/bin/python3 training/export.py --ckpt training/runs/main/last.pt --reference /tmp/ortcheck/ref

The ONNX graph (opset 17, dynamic N/H/W):
  inputs   image    [N,3,H,W] float32, NORMALISED as the manifest says: (v - mean) / std with v the sRGB
                    value in 0..1 (the runner in src/model does this); H, W multiples of 16
           fov_deg  [N] float32 (the runner feeds [1]): vertical field of view in degrees of the input grid;
                    manifest kind 'vertical-fov-degrees', default 60 (used when the photo's FoV is unknown).
                    It is a plain graph input: onnxruntime-web cannot feed an input that has an initializer.
                    --fixed-fov bakes 60 degrees into the graph instead (one input only)
  outputs  log_depth [N,1,H,W] (log metres), confidence [N,1,H,W] (0..1), normals [N,3,H,W]
           (unit, camera frame x right / y up / z towards the viewer = 'opengl'), sky [N,1,H,W] (0..1)
Weights are stored as float16 and cast to float32 inside the graph (half the bytes; compute stays fp32).

Also writes models/worldsplat-depth.metrics.json (held-out evaluation + export facts) and
models/worldsplat-depth.log.jsonl (the training log, thinned).
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DEFAULT_FOV, MEAN, STD, count_params, load_net  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OPSET = 17
TRAIN_RES = 128
ONNX_NAME = 'worldsplat-depth.onnx'


class Exported(torch.nn.Module):
    """The runner normalises; the network wants 0..1 sRGB: undo the normalisation in the graph."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.register_buffer('mean', torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor(STD).view(1, 3, 1, 1))

    def forward(self, image, fov_deg):
        return self.net(image * self.std + self.mean, fov_deg)


def to_onnx(net, path):
    wrapped = Exported(net).eval()
    x = torch.rand(1, 3, 64, 96)
    fov = torch.tensor([DEFAULT_FOV])
    torch.onnx.export(wrapped, (x, fov), path, opset_version=OPSET, do_constant_folding=True,
                      input_names=['image', 'fov_deg'], output_names=['log_depth', 'confidence', 'normals', 'sky'],
                      dynamic_axes={'image': {0: 'n', 2: 'h', 3: 'w'}, 'fov_deg': {0: 'n'},
                                    'log_depth': {0: 'n', 2: 'h', 3: 'w'}, 'confidence': {0: 'n', 2: 'h', 3: 'w'},
                                    'normals': {0: 'n', 2: 'h', 3: 'w'}, 'sky': {0: 'n', 2: 'h', 3: 'w'}})


def finish_graph(path, fov_input=False):
    """fp16 weights + Cast; unless fov_input, fov_deg becomes a constant (60 degrees) instead of an input."""
    m = onnx.load(path)
    g = m.graph
    casts, keep = [], []
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if init.data_type == TensorProto.FLOAT and arr.size >= 16:
            half = numpy_helper.from_array(arr.astype(np.float16), init.name + '_fp16')
            keep.append(half)
            casts.append(helper.make_node('Cast', [half.name], [init.name], to=TensorProto.FLOAT, name=init.name + '_cast'))
        else:
            keep.append(init)
    del g.initializer[:]
    g.initializer.extend(keep)
    if not fov_input:
        g.initializer.append(numpy_helper.from_array(np.array([DEFAULT_FOV], np.float32), 'fov_deg'))
        inputs = [i for i in g.input if i.name != 'fov_deg']
        del g.input[:]
        g.input.extend(inputs)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    m.ir_version = max(m.ir_version, 7)
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, path)
    return m


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        h.update(f.read())
    return h.hexdigest()


def manifest_entry(path, metrics_name, fov_input=True):
    fov = [dict(name='fov_deg', kind='vertical-fov-degrees', default=DEFAULT_FOV)] if fov_input else []
    return dict(
        id='builtin',
        name='WorldSplat built-in depth (compact U-Net, trained on procedural scenes)',
        file=os.path.basename(path),
        bytes=os.path.getsize(path),
        sha256=sha256(path),
        licence=dict(id='MIT', nonCommercial=False),
        task='depth',
        source=f'trained by the project: training/ (npm run train, npm run export-model); metrics and training '
               f'resolution in {metrics_name}',
        inputs=[dict(name='image', kind='image', layout='NCHW', channels='RGB', valueRange=[0, 1],
                     mean=list(MEAN), std=list(STD),
                     resize=dict(mode='pad', longSide=TRAIN_RES, multipleOf=16),
                     # Test-time mirror average of all but the sky (inference_eval.py: depth AbsRel
                     # 0.2271 -> 0.2117 app-like on the held-out split; averaging the sky too lost a
                     # held-out real sky). Re-check with inference_eval.py after training a new network.
                     mirrorAverage=['log_depth', 'confidence', 'normals'])] + fov,
        outputs=[dict(name='log_depth', layout='NCHW', meaning='log-depth', units='log metres'),
                 dict(name='confidence', layout='NCHW', meaning='confidence'),
                 dict(name='normals', layout='NCHW', meaning='normals', frame='opengl'),
                 dict(name='sky', layout='NCHW', meaning='sky')],
    )


def write_manifest(entry, models_dir):
    p = os.path.join(models_dir, 'manifest.json')
    man = json.load(open(p)) if os.path.exists(p) else dict(version=1, models=[])
    man['models'] = [e for e in man['models'] if e.get('id') != 'builtin'] + [entry]
    with open(p, 'w') as f:
        json.dump(man, f, indent=2)
        f.write('\n')


def thin_log(src, dst, every=10):
    """Keep start/checkpoint/skip/end events and every `every`-th train line."""
    out, n = [], 0
    for line in open(src):
        rec = json.loads(line)
        if rec.get('event') == 'train':
            n += 1
            if n % every:
                continue
        out.append(line)
    with open(dst, 'w') as f:
        f.writelines(out)


def write_reference(net, ref_dir):
    """A sample input and PyTorch's outputs, for comparing an ONNX runtime (e.g. onnxruntime-web in Node)."""
    os.makedirs(ref_dir, exist_ok=True)
    g = torch.Generator().manual_seed(0)
    img01 = torch.rand(1, 3, 48, 64, generator=g)
    img01 = torch.nn.functional.interpolate(img01, scale_factor=2, mode='bilinear')  # smooth-ish, 96x128
    x = (img01 - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    meta = {}
    with torch.no_grad():
        for tag, fov in (('fov60', DEFAULT_FOV), ('fov80', 80.0)):
            outs = Exported(net).eval()(x, torch.tensor([fov]))
            for name, t in zip(['log_depth', 'confidence', 'normals', 'sky'], outs):
                t.numpy().astype('<f4').tofile(os.path.join(ref_dir, f'{tag}_{name}.bin'))
                meta[f'{tag}_{name}'] = list(t.shape)
    x.numpy().astype('<f4').tofile(os.path.join(ref_dir, 'image.bin'))
    meta['image'] = list(x.shape)
    json.dump(meta, open(os.path.join(ref_dir, 'shapes.json'), 'w'))
    # a few held-out renders as 8-bit RGB photos, with PyTorch's metric depth for them
    import glob
    test = sorted(glob.glob(os.path.join(HERE, 'data', 'test', 'shard_*.npz')))
    samples = []
    if test:
        with np.load(test[0]) as z:
            for i in (0, 7, 21):
                rgb, fov = z['rgb'][i], float(z['fov'][i])
                img = torch.from_numpy(rgb).permute(2, 0, 1)[None].float() / 255
                with torch.no_grad():
                    d = net(img, torch.tensor([fov]))[0].exp()[0, 0]
                name = f'test{i}'
                rgb.tofile(os.path.join(ref_dir, f'{name}_rgb.bin'))
                d.numpy().astype('<f4').tofile(os.path.join(ref_dir, f'{name}_torch_depth.bin'))
                samples.append(dict(name=name, w=int(rgb.shape[1]), h=int(rgb.shape[0]), fov=fov))
    json.dump(dict(samples=samples), open(os.path.join(ref_dir, 'e2e.json'), 'w'))


def fp16_weight_error(net):
    """How much rounding the weights to fp16 changes log depth on a random image (PyTorch, fp32 compute)."""
    import copy
    half = copy.deepcopy(net)
    with torch.no_grad():
        for p in list(half.parameters()) + list(half.buffers()):
            if p.dtype == torch.float32:
                p.copy_(p.half().float())
        x = torch.rand(2, 3, 128, 128)
        fov = torch.tensor([60.0, 60.0])
        return float((net(x, fov)[0] - half(x, fov)[0]).abs().max())


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--ckpt', default=os.path.join(HERE, 'runs', 'main', 'best.pt'))
    ap.add_argument('--models', default=os.path.join(ROOT, 'models'))
    ap.add_argument('--test', default=os.path.join(HERE, 'data', 'test'))
    ap.add_argument('--train', default=os.path.join(HERE, 'data', 'train'))
    ap.add_argument('--no-eval', action='store_true', help='skip the held-out evaluation (smoke tests)')
    ap.add_argument('--reference', default=None, help='also write a sample input + PyTorch outputs here')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--fixed-fov', action='store_true', help='bake 60 degrees into the graph instead of a fov_deg input')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    if not os.path.exists(a.ckpt):
        raise SystemExit(f'export: expected a checkpoint at {a.ckpt}, found none (train first: npm run train)')
    ck = torch.load(a.ckpt, map_location='cpu', weights_only=False)
    net = load_net(ck['model']).eval()
    os.makedirs(a.models, exist_ok=True)
    path = os.path.join(a.models, ONNX_NAME)
    tmp = path + '.tmp'
    to_onnx(net, tmp)
    finish_graph(tmp, fov_input=not a.fixed_fov)
    os.replace(tmp, path)
    metrics_name = ONNX_NAME.replace('.onnx', '.metrics.json')
    entry = manifest_entry(path, metrics_name, fov_input=not a.fixed_fov)
    write_manifest(entry, a.models)
    state = ck.get('state', {})
    info = dict(onnx=dict(file=ONNX_NAME, bytes=entry['bytes'], sha256=entry['sha256'], opset=OPSET,
                          weights='float16 (cast to float32 in the graph)', onnx_checker='passed (full_check)',
                          fov_input='constant 60 degrees inside the graph' if a.fixed_fov else 'graph input fov_deg [N], manifest default 60',
                          fp16_weight_max_abs_log_depth_change=fp16_weight_error(net)),
                parameters=count_params(net), training_resolution=[TRAIN_RES, TRAIN_RES],
                training_crops=[96, 112, 128], checkpoint=os.path.relpath(a.ckpt, ROOT),
                trained=dict(steps=state.get('step'), images_seen=state.get('images'),
                             minutes=round(state.get('elapsed', 0) / 60, 1)),
                validation_at_checkpoint=ck.get('val'))
    if not a.no_eval:
        from evaluate import evaluate
        info['held_out'] = evaluate(a.ckpt, a.test, a.train, a.threads)
    with open(os.path.join(a.models, metrics_name), 'w') as f:
        json.dump(info, f, indent=1)
        f.write('\n')
    log = os.path.join(os.path.dirname(a.ckpt), 'log.jsonl')
    if os.path.exists(log):
        thin_log(log, os.path.join(a.models, ONNX_NAME.replace('.onnx', '.log.jsonl')))
    if a.reference:
        write_reference(net, a.reference)
    print(f'wrote {path} ({entry["bytes"] / 1e6:.2f} MB, sha256 {entry["sha256"][:12]}...), {metrics_name}, manifest entry "builtin"')


if __name__ == '__main__':
    main()
