"""Train the built-in depth network on cached procedural shards.

  /usr/bin/python3 training/train.py                       # from scratch, 90 minutes on the CPU
  /usr/bin/python3 training/train.py --resume --minutes 60 # continue training the last checkpoint
  /usr/bin/python3 training/train.py --init runs/main/last.pt --run runs/cont --crops 64,96  # new schedule, old weights
  /usr/bin/python3 training/train.py --device cuda --batch 64 --amp   # the pool and augmentation live on the GPU
  /usr/bin/python3 training/train.py --smoke               # one minute on tiny data made on the spot (CI)

Data: shards in training/data/train (see scenes/generate.py). With fewer than 20 shards there, a scene
generator is started in the background and the pool of training images grows while training runs;
the validation split (data/val, seeds from 9e8) is generated first if missing.

Losses (non-sky pixels unless stated; r = predicted log depth - true log depth):
  metric      mean |r|                                   absolute scale, learned from FoV/height statistics
  silog       sqrt(mean r^2 - 0.85 mean(r)^2)            scale-invariant shape (Eigen et al.)
  grad        multi-scale gradient matching of r - mean(r) (MiDaS): sharp, consistent discontinuities
  normal      1 - cos(predicted, true normal)
  confidence  BCE(confidence, exp(-|r| / 0.1)), r detached: confidence = expected accuracy
  sky         BCE(sky, sky mask) on all pixels, surface pixels weighted --sky-surface-weight times a sky
              pixel (the app puts every pixel called sky on a far shell: a surface called sky costs more
              than a sky pixel missed); plus a weak pull of sky depth towards SKY_DEPTH
  keep_real   (--keep-real W) on crops of real photos, the log-depth and sky of the --init network (keep_real.py)
Optimiser: AdamW, linear warm-up then cosine decay over the time budget, gradient-norm clipping;
a non-finite loss or gradient skips the step and halves the learning rate (recovering slowly).
Checkpoints (runs/<name>/last.pt, best.pt by validation metric AbsRel) every --ckpt-minutes,
atomically written, resumable; log lines in runs/<name>/log.jsonl.
"""
import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
import time

if __name__ == '__main__':  # before torch loads, which the restart would otherwise do twice
    from malloc_settings import restart_with_malloc_settings
    restart_with_malloc_settings()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dataset import ShardPool, batch, fixed_set  # noqa: E402
from metrics import depth_metrics  # noqa: E402
from model import DEFAULT_FOV, WIDTHS, DepthNet, count_params, load_net, widths_of  # noqa: E402
from sky_swap import load_skies  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SKY_DEPTH = 200.0
W = dict(metric=1.0, silog=1.0, grad=1.0, normal=0.5, confidence=0.2, sky=0.5, sky_depth=0.05)


def gradient_matching(r, mask, scales=4):
    total = 0.0
    for s in range(scales):
        if s:
            r = F.avg_pool2d(r * mask, 2) / F.avg_pool2d(mask, 2).clamp_min(1e-6)
            mask = (F.avg_pool2d(mask, 2) > 0.99).float()
        mx = mask[..., :, 1:] * mask[..., :, :-1]
        my = mask[..., 1:, :] * mask[..., :-1, :]
        gx = (r[..., :, 1:] - r[..., :, :-1]).abs() * mx
        gy = (r[..., 1:, :] - r[..., :-1, :]).abs() * my
        total = total + (gx.sum() + gy.sum()) / (mx.sum() + my.sum()).clamp_min(1)
    return total / scales


def log_depth_terms(r, cnt):
    """metric and silog (above) of a log-depth residual r [N,1,H,W], 0 outside the pixels counted (cnt [N])"""
    mean_r = r.sum(dim=(1, 2, 3)) / cnt
    metric = (r.abs().sum(dim=(1, 2, 3)) / cnt).mean()
    silog = torch.sqrt(((r ** 2).sum(dim=(1, 2, 3)) / cnt - 0.85 * mean_r ** 2).clamp_min(1e-8)).mean()
    return metric, silog


def losses(out, depth, normal, sky_surface_weight=1.0):
    log_d, conf, n_pred, sky = out
    mask = (depth > 0).float()
    cnt = mask.sum(dim=(1, 2, 3)).clamp_min(1)
    g = torch.log(depth.clamp_min(1e-3))
    r = (log_d - g) * mask
    mean_r = r.sum(dim=(1, 2, 3)) / cnt
    l = {}
    l['metric'], l['silog'] = log_depth_terms(r, cnt)
    l['grad'] = gradient_matching(r - mean_r.view(-1, 1, 1, 1) * mask, mask)
    cos = (n_pred * normal).sum(dim=1, keepdim=True)
    l['normal'] = ((1 - cos) * mask).sum() / mask.sum().clamp_min(1)
    target_c = torch.exp(-r.detach().abs() / 0.1)
    l['confidence'] = (F.binary_cross_entropy(conf.clamp(1e-4, 1 - 1e-4), target_c, reduction='none') * mask).sum() / mask.sum().clamp_min(1)
    sky_w = 1 + (sky_surface_weight - 1) * mask
    l['sky'] = (F.binary_cross_entropy(sky.clamp(1e-4, 1 - 1e-4), 1 - mask, reduction='none') * sky_w).sum() / sky_w.sum()
    l['sky_depth'] = ((log_d - math.log(SKY_DEPTH)).abs() * (1 - mask)).sum() / (1 - mask).sum().clamp_min(1)
    total = sum(W[k] * v for k, v in l.items())
    return total, {k: v.item() for k, v in l.items()}


@torch.no_grad()
def validate(model, val, device, bs=16):
    model.eval()
    image, depth, _, fov = val
    preds = []
    for i in range(0, len(image), bs):
        preds.append(model(image[i:i + bs].to(device), fov[i:i + bs].to(device))[0].exp().cpu())
    model.train()
    return depth_metrics(torch.cat(preds), depth)


def save(path, state):
    tmp = path + '.tmp'
    torch.save(state, tmp)
    os.replace(tmp, path)


def smoke_data(root):
    """A few tiny scenes, generated on the spot (the smoke test must not need cached data)."""
    from scenes.generate import write_shards
    from scenes.textures import TextureBank
    bank = TextureBank.load()
    write_shards(os.path.join(root, 'train'), 0, 8, 4, 64, bank, log=lambda m: None)
    write_shards(os.path.join(root, 'val'), 900_000_000, 2, 2, 64, bank, log=lambda m: None)
    return os.path.join(root, 'train'), os.path.join(root, 'val')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(HERE, 'data', 'train'))
    ap.add_argument('--val', default=os.path.join(HERE, 'data', 'val'))
    ap.add_argument('--run', default=os.path.join(HERE, 'runs', 'main'))
    ap.add_argument('--minutes', type=float, default=90.0, help='wall-clock budget of this invocation')
    ap.add_argument('--total-minutes', type=float, default=None, help='length of the lr schedule (default: --minutes)')
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--wd', type=float, default=1e-4)
    ap.add_argument('--warmup', type=int, default=300, help='warm-up steps')
    ap.add_argument('--clip', type=float, default=1.0)
    ap.add_argument('--crops', default='96,112,128', help='crop sizes (pixels) of the full-resolution batches')
    ap.add_argument('--half-res', type=float, default=0.5, help='fraction of batches shown whole at half resolution')
    ap.add_argument('--sky-swap', type=float, default=0.3, help='share of images with sky whose sky is swapped for a photographed one (sky_swap.py)')
    ap.add_argument('--sky-surface-weight', type=float, default=1.0, help='weight of a surface pixel in the sky loss, a sky pixel weighing 1')
    ap.add_argument('--sky-procedural', type=float, default=0.0, help='share of the swapped skies made procedurally (sky_procedural.py) instead of taken from a photo')
    ap.add_argument('--extra', default=None, help='a second shard folder (e.g. far-field scenes, scenes.generate --far-share)')
    ap.add_argument('--extra-share', type=float, default=0.0, help='share of batches drawn from --extra (once it holds 256 images; its pool keeps the newest --pool / 2)')
    ap.add_argument('--keep-real', type=float, default=0.0, help='weight of the pull towards the --init network on real photos (keep_real.py); 0: off')
    ap.add_argument('--keep-real-photos', default=os.path.join(HERE, 'data', 'real_photos.npz'), help='the anchor photos (keep_real.py makes them)')
    ap.add_argument('--keep-real-teacher', default=None, help='the network to keep on real photos (default: --init)')
    ap.add_argument('--keep-real-batch', type=int, default=16, help='real-photo crops per step')
    ap.add_argument('--fov-dropout', type=float, default=0.2, help='fraction of images given the default FoV instead of the true one')
    ap.add_argument('--ckpt-minutes', type=float, default=3.0)
    ap.add_argument('--keep-all', action='store_true', help='also keep every checkpoint\'s weights as step-<n>.pt (to compare candidates on real photos)')
    ap.add_argument('--widths', default=None, help='channels at strides 2, 4, 8, 16 and the bottleneck, e.g. 32,64,128,208,288 (default: model.WIDTHS; --init and --resume take their checkpoint\'s)')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (1 while sharing the machine)')
    ap.add_argument('--amp', action='store_true', help='bfloat16 autocast on CUDA (about twice the images/s)')
    ap.add_argument('--pool', type=int, default=40000, help='images kept in the training pool (newest win)')
    ap.add_argument('--resume', action='store_true')
    ap.add_argument('--init', default=None, help='start from these weights (a checkpoint) with a fresh optimiser and schedule')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--smoke', action='store_true', help='one minute on tiny generated data; for CI')
    ap.add_argument('--generate', choices=['auto', 'yes', 'no'], default='auto',
                    help='run a scene generator in the background while training (auto: when --data has < 20 shards)')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed + int(time.time()) if a.resume else a.seed)
    if a.smoke:
        tmp = tempfile.mkdtemp(prefix='worldsplat-smoke-')
        a.data, a.val = smoke_data(tmp)
        a.run = os.path.join(tmp, 'run')
        a.minutes, a.batch, a.warmup, a.ckpt_minutes = min(a.minutes, 1.0), 4, 10, 0.25
    total_minutes = a.total_minutes or a.minutes
    crops = tuple(int(c) for c in a.crops.split(','))
    os.makedirs(a.run, exist_ok=True)
    dev = torch.device(a.device)
    amp = a.amp and dev.type == 'cuda'

    last = os.path.join(a.run, 'last.pt')
    resuming = a.resume and os.path.exists(last)
    start = last if resuming else a.init
    ck = torch.load(start, map_location=dev, weights_only=False) if start else None
    widths = tuple(int(w) for w in a.widths.split(',')) if a.widths else WIDTHS
    if ck is not None:  # the checkpoint decides the network's size
        found = widths_of(ck['model'])
        if a.widths and found != widths:
            raise SystemExit(f'--widths: expected those of {start} ({",".join(map(str, found))}), found {a.widths}')
        widths = found
    model = DepthNet(widths).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd)
    state = dict(step=0, images=0, elapsed=0.0, best=float('inf'), lr_scale=1.0)
    if ck is not None:
        model.load_state_dict(ck['model'])
    if resuming:
        opt.load_state_dict(ck['opt'])
        state = ck['state']
        print(f'resumed {last} at step {state["step"]}, {state["images"]} images, {state["elapsed"] / 60:.1f} min', flush=True)
    elif a.init:
        print(f'initialised from {a.init}', flush=True)
    anchor = None
    if a.keep_real > 0:
        if not a.init:
            raise SystemExit('--keep-real: expected --init (the network to keep on real photos), found none')
        from keep_real import RealAnchor
        teacher = model
        if a.keep_real_teacher:
            teacher = load_net(torch.load(a.keep_real_teacher, map_location=dev, weights_only=False)['model']).to(dev)
        anchor = RealAnchor(teacher, a.keep_real_photos, dev)
    log = open(os.path.join(a.run, 'log.jsonl'), 'a')

    def emit(rec):
        log.write(json.dumps(rec) + '\n')
        log.flush()
        print(json.dumps(rec), flush=True)

    generator = None
    if not a.smoke:
        from scenes.generate import ensure_split
        ensure_split(a.val, 'val')
        have = len(ShardPool(a.data).shard_paths())
        if a.generate == 'yes' or (a.generate == 'auto' and have < 20):
            import subprocess
            first = 10_000_000 + int(time.time()) % 100_000 * 1000  # fresh seeds, far below the test split
            generator = subprocess.Popen(['nice', '-n', '10', sys.executable, '-m', 'scenes.generate', '--out', a.data,
                                          '--first', str(first), '--scenes', '1000000', '--shard', '20'], cwd=HERE)
            print(f'started a scene generator (pid {generator.pid}) writing to {a.data}', flush=True)
    pool = ShardPool(a.data, max_images=a.pool, device=dev)
    extra = ShardPool(a.extra, max_images=a.pool // 2, device=dev) if a.extra else None
    while pool.refresh() == 0 and len(pool) == 0:
        print(f'waiting for shards in {a.data} ...', flush=True)
        time.sleep(20)
    val = fixed_set(a.val, 96) if os.path.isdir(a.val) else None
    if extra is not None:
        extra.refresh()
    skies = load_skies(device=dev) if a.sky_swap > 0 else None
    if a.sky_swap > 0 and skies is None and a.sky_procedural <= 0:
        print('sky swap: off (no photographed skies in training/data/textures.npz; scenes/textures.py builds it)', flush=True)
    emit(dict(event='start', params=count_params(model), pool=len(pool), device=str(dev), threads=a.threads,
              args=vars(a), val_images=0 if val is None else len(val[0])))

    def checkpoint():
        rec = dict(event='checkpoint', step=state['step'], images=state['images'], minutes=round(state['elapsed'] / 60, 2))
        if val is not None:
            m = validate(model, val, dev)
            rec['val'] = m
            if m['metric_absrel'] < state['best']:
                state['best'] = m['metric_absrel']
                save(os.path.join(a.run, 'best.pt'), dict(model=model.state_dict(), state=state, val=m))
        save(last, dict(model=model.state_dict(), opt=opt.state_dict(), state=state))
        if a.keep_all:
            save(os.path.join(a.run, f'step-{state["step"]}.pt'), dict(model=model.state_dict(), state=state))
        emit(rec)

    t_start = time.time() - 0.0
    t_elapsed0 = state['elapsed']
    last_ckpt = time.time()
    running = {}
    while True:
        state['elapsed'] = t_elapsed0 + time.time() - t_start
        if time.time() - t_start > a.minutes * 60:
            break
        progress = min(state['elapsed'] / (total_minutes * 60), 1.0)
        warm = min(1.0, (state['step'] + 1) / a.warmup)
        lr = a.lr * warm * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress))) * state['lr_scale']
        for g in opt.param_groups:
            g['lr'] = lr
        src = extra if extra is not None and len(extra) >= 256 and rng.random() < a.extra_share else pool
        image, depth, normal, fov = batch(src, rng, a.batch, crops, half_p=a.half_res, skies=skies, sky_p=a.sky_swap,
                                          sky_procedural=a.sky_procedural)
        drop = torch.as_tensor(rng.random(len(fov)) < a.fov_dropout, device=dev)
        fov = torch.where(drop, torch.full_like(fov, DEFAULT_FOV), fov)
        with torch.autocast('cuda', dtype=torch.bfloat16) if amp else contextlib.nullcontext():
            out = model(image, fov)
        out = tuple(o.float() for o in out)
        loss, parts = losses(out, depth, normal, a.sky_surface_weight)
        if anchor is not None:
            keep, parts['keep_depth'], parts['keep_sky'] = anchor.loss(model, rng, a.keep_real_batch, max(crops), amp)
            loss = loss + a.keep_real * keep
        opt.zero_grad(set_to_none=True)
        if not torch.isfinite(loss):
            state['lr_scale'] *= 0.5
            emit(dict(event='skip', step=state['step'], reason='non-finite loss', lr_scale=state['lr_scale']))
            continue
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        if not torch.isfinite(gn):
            state['lr_scale'] *= 0.5
            emit(dict(event='skip', step=state['step'], reason='non-finite gradient', lr_scale=state['lr_scale']))
            continue
        opt.step()
        state['lr_scale'] = min(1.0, state['lr_scale'] * 1.001)
        state['step'] += 1
        state['images'] += len(image)
        for k, v in parts.items():
            running[k] = running.get(k, v) * 0.98 + v * 0.02
        if state['step'] % 50 == 0:
            added = pool.refresh() + (extra.refresh() if extra is not None else 0)
            emit(dict(event='train', step=state['step'], images=state['images'], minutes=round(state['elapsed'] / 60, 2),
                      images_per_s=round(state['images'] / max(state['elapsed'], 1e-6), 1),
                      lr=lr, loss=round(loss.item(), 4), grad_norm=round(gn.item(), 3), pool=len(pool), new_images=added,
                      **({} if extra is None else dict(extra=len(extra))),
                      **{k: round(v, 4) for k, v in running.items()}))
        if time.time() - last_ckpt > a.ckpt_minutes * 60:
            checkpoint()
            last_ckpt = time.time()
    checkpoint()
    emit(dict(event='end', step=state['step'], images=state['images'], minutes=round(state['elapsed'] / 60, 2)))
    if generator is not None:
        generator.terminate()
    return a.run


if __name__ == '__main__':
    main()
