"""Train the completion model, evaluate it on the held-out split against push-pull, export it.

  npm run train-completion                         # = /usr/bin/python3 training/complete/train.py
  /usr/bin/python3 training/complete/train.py --minutes 40 --threads 1
  /usr/bin/python3 training/complete/train.py --resume --minutes 20     # continue runs/complete
  /usr/bin/python3 training/complete/train.py --eval-only               # evaluate + export runs/complete/best.pt
  /usr/bin/python3 training/complete/train.py --smoke                   # seconds, on a few generated scenes
  /usr/bin/python3 training/complete/train.py --device cuda --workers 6 --batch 64 --init runs/complete/best.pt --train-only

Data: the depth model's shards (data/train, data/val, data/test; see scenes/generate.py), every ordered
pair of views of a scene (data.py). Held-out numbers come from data/test (scene seeds >= 1e9) with a
fixed seeded choice of pairs and of extra holes.

Loss (w = 1 on hole pixels, KNOWN_W on known ones, normalised per image so each image counts the same):
  rgb     w * |rgb - true rgb|                            (L1: sharp edges, robust)
  depth   w * |log depth - true log depth| on true surface pixels
  sky     w * BCE(sky, true sky)
  border  |gradient of the composite - gradient of the truth| in a band around each hole border,
          where composite = known pixels as given, hole pixels as predicted: no seam.
AdamW, linear warm-up, cosine decay over the time budget, gradient-norm clipping, non-finite steps
skipped. Checkpoints (runs/complete/last.pt, best.pt by validation hole PSNR) and log.jsonl.
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
sys.path.insert(0, TRAINING)
if __name__ == '__main__':  # before torch loads, which the restart would otherwise do twice
    from malloc_settings import restart_with_malloc_settings
    restart_with_malloc_settings()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from complete.data import fixed_pairs, load_views, make_pair, to_batch  # noqa: E402
from complete.model import CompletionNet, count_params  # noqa: E402
from complete.pushpull import baseline_fill  # noqa: E402

KNOWN_W = 0.1
W = dict(rgb=1.0, depth=0.5, sky=0.2, border=1.0)


def band(hole, r=2):
    """Pixels within r of a hole border, on either side."""
    dil = F.max_pool2d(hole, 2 * r + 1, 1, r)
    ero = 1 - F.max_pool2d(1 - hole, 2 * r + 1, 1, r)
    return dil - ero


def grads(x):
    return x[..., :, 1:] - x[..., :, :-1], x[..., 1:, :] - x[..., :-1, :]


def losses(out, b):
    rgb, log_d, sky = out
    hole = b['hole']
    w = hole + KNOWN_W * (1 - hole)
    w = w / w.sum(dim=(1, 2, 3), keepdim=True) * w[0].numel()  # each image counts the same, whatever its hole size
    t_sky = (b['true_depth'] <= 0).float()
    t_log = torch.log(b['true_depth'].clamp_min(1e-3))
    surf = 1 - t_sky
    l = {}
    l['rgb'] = ((rgb - b['true_rgb']).abs() * w).sum() / (3 * w.sum())
    l['depth'] = ((log_d - t_log).abs() * w * surf).sum() / (w * surf).sum().clamp_min(1)
    l['sky'] = (F.binary_cross_entropy(sky.clamp(1e-4, 1 - 1e-4), t_sky, reduction='none') * w).sum() / w.sum()
    # border: gradients of the composite against the truth's, near hole borders
    comp = torch.cat([hole * rgb + (1 - hole) * b['image'], hole * log_d * surf + (1 - hole) * b['log_depth'] * surf], 1)
    true = torch.cat([b['true_rgb'], t_log * surf], 1)
    bd = band(hole)
    total = 0.0
    for gc, gt, m in zip(grads(comp), grads(true), grads(bd)):
        mm = (bd[..., :gc.shape[2], :gc.shape[3]] * (surf[..., :gc.shape[2], :gc.shape[3]] > 0)).float()
        total = total + ((gc - gt).abs() * mm).sum() / (4 * mm.sum()).clamp_min(1)
    l['border'] = total / 2
    return sum(W[k] * v for k, v in l.items()), {k: v.item() for k, v in l.items()}


def run_model(model, b):
    return model(b['image'], b['log_depth'], b['hole'], b['sky'], b['fov'])


class PairBatches(torch.utils.data.IterableDataset):
    """Endless training batches of warped pairs. Warping is numpy work on the CPU, so on a GPU several
    DataLoader workers make batches while the step runs; each worker draws from its own seeded stream."""

    def __init__(self, views, size, batch, seed):
        self.views, self.size, self.batch, self.seed = views, size, batch, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng([self.seed, 0 if info is None else info.id + 1])
        pairs = self.views['pairs']
        while True:
            idx = rng.integers(0, len(pairs), self.batch)
            yield to_batch([make_pair(self.views, *pairs[i], self.size, rng) for i in idx], flip=rng.random(self.batch) < 0.5)


def psnr(mse):
    return float(10 * np.log10(1.0 / max(mse, 1e-10)))


@torch.no_grad()
def evaluate(model, views, pairs, size, seed, bs=16, with_baseline=True, device='cpu'):
    """Hole-pixel PSNR (per image, then averaged; and pooled over all hole pixels) and depth AbsRel on
    hole pixels whose truth is a surface, for the model and for push-pull; fixed extra holes by seed."""
    rng = np.random.default_rng(seed)
    model.eval()
    acc = {k: dict(psnr=[], se=0.0, n=0, absrel=[], sky_acc=[]) for k in ('model', 'pushpull')}
    fracs = []
    for i in range(0, len(pairs), bs):
        samples = [make_pair(views, a, b_, size, rng) for a, b_ in pairs[i:i + bs]]
        b = {k: v.to(device) for k, v in to_batch(samples).items()}
        rgb, log_d, sky = (t.float().cpu() for t in run_model(model, b))
        for j, s in enumerate(samples):
            hole = s[2]
            if hole.sum() < 4:
                continue
            fracs.append(hole.mean())
            t_rgb, t_dep = s[5], s[6]
            m_rgb = rgb[j].permute(1, 2, 0).numpy()
            m_dep = log_d[j, 0].exp().numpy()
            m_sky = sky[j, 0].numpy() > 0.5
            preds = {'model': (m_rgb, m_dep, m_sky)}
            if with_baseline:
                known_dep = np.where(s[2] | s[3], 0.0, np.exp(s[1]))
                bl_rgb, bl_dep, bl_log = baseline_fill(s[0], known_dep, hole)
                preds['pushpull'] = (bl_rgb, np.exp(bl_log), bl_dep <= 0)
            for k, (pr, pd, ps) in preds.items():
                se = ((pr[hole] - t_rgb[hole]) ** 2).sum()
                a = acc[k]
                a['se'] += float(se)
                a['n'] += int(hole.sum()) * 3
                a['psnr'].append(psnr(se / (hole.sum() * 3)))
                surf = hole & (t_dep > 0)
                if surf.sum() >= 4:
                    a['absrel'].append(float((np.abs(pd[surf] - t_dep[surf]) / t_dep[surf]).mean()))
                a['sky_acc'].append(float((ps[hole] == (t_dep[hole] <= 0)).mean()))
    model.train()
    res = dict(pairs=len(fracs), size=size, mean_hole_fraction=float(np.mean(fracs)) if fracs else 0.0)
    for k, a in acc.items():
        if a['n']:
            res[k] = dict(hole_psnr_mean=float(np.mean(a['psnr'])), hole_psnr_pooled=psnr(a['se'] / a['n']),
                          hole_depth_absrel=float(np.mean(a['absrel'])), hole_sky_accuracy=float(np.mean(a['sky_acc'])))
    return res


def save(path, state):
    torch.save(state, path + '.tmp')
    os.replace(path + '.tmp', path)


def smoke_views(root):
    from scenes.generate import write_shards
    from scenes.textures import TextureBank
    bank = TextureBank.load()
    write_shards(os.path.join(root, 'train'), 0, 4, 4, 64, bank, log=lambda m: None)
    write_shards(os.path.join(root, 'val'), 900_000_000, 2, 2, 64, bank, log=lambda m: None)
    return os.path.join(root, 'train'), os.path.join(root, 'val'), os.path.join(root, 'val')


def ensure_data(a):
    """A fresh checkout has no shards: make the fixed val/test splits and a training set (the same
    scene generator and seeds as the depth model's `npm run train`; hours on a CPU)."""
    import glob
    from scenes.generate import ensure_split, write_shards
    ensure_split(a.val, 'val')
    ensure_split(a.test, 'test')
    if not glob.glob(os.path.join(a.data, 'shard_*.npz')):
        from scenes.textures import TextureBank
        print(f'no training shards in {a.data}: generating 2000 scenes (seeds 0..1999) ...', flush=True)
        write_shards(a.data, 0, 2000, 50, 128, TextureBank.load(), log=lambda m: print(m, flush=True))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--data', default=os.path.join(TRAINING, 'data', 'train'))
    ap.add_argument('--val', default=os.path.join(TRAINING, 'data', 'val'))
    ap.add_argument('--test', default=os.path.join(TRAINING, 'data', 'test'))
    ap.add_argument('--run', default=os.path.join(TRAINING, 'runs', 'complete'))
    ap.add_argument('--models', default=os.path.join(os.path.dirname(TRAINING), 'models'))
    ap.add_argument('--minutes', type=float, default=45.0)
    ap.add_argument('--total-minutes', type=float, default=None)
    ap.add_argument('--size', type=int, default=64, help='training resolution (square, divides 128)')
    ap.add_argument('--eval-size', type=int, default=128)
    ap.add_argument('--batch', type=int, default=12)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--warmup', type=int, default=100)
    ap.add_argument('--clip', type=float, default=1.0)
    ap.add_argument('--ckpt-minutes', type=float, default=4.0)
    ap.add_argument('--test-pairs', type=int, default=300)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--workers', type=int, default=0, help='DataLoader processes making pairs (0: in the training process)')
    ap.add_argument('--init', default=None, help='start from these weights (a checkpoint) with a fresh optimiser and schedule')
    ap.add_argument('--train-only', action='store_true', help='skip the held-out evaluation and the export (run --eval-only later)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--resume', action='store_true')
    ap.add_argument('--eval-only', action='store_true')
    ap.add_argument('--no-export', action='store_true')
    ap.add_argument('--smoke', action='store_true')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.smoke:
        tmp = tempfile.mkdtemp(prefix='worldsplat-complete-smoke-')
        a.data, a.val, a.test = smoke_views(tmp)
        a.run, a.models = os.path.join(tmp, 'run'), os.path.join(tmp, 'models')
        a.minutes, a.ckpt_minutes, a.size, a.eval_size, a.test_pairs, a.warmup = min(a.minutes, 0.3), 0.1, 32, 64, 8, 5
    os.makedirs(a.run, exist_ok=True)
    dev = torch.device(a.device)
    model = CompletionNet().to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=1e-4)
    state = dict(step=0, images=0, elapsed=0.0, best=-1.0, lr_scale=1.0)
    last, best = os.path.join(a.run, 'last.pt'), os.path.join(a.run, 'best.pt')
    log = open(os.path.join(a.run, 'log.jsonl'), 'a')

    def emit(rec):
        log.write(json.dumps(rec) + '\n')
        log.flush()
        print(json.dumps(rec), flush=True)

    if (a.resume or a.eval_only) and os.path.exists(last):
        ck = torch.load(last, map_location=dev, weights_only=False)
        model.load_state_dict(ck['model'])
        opt.load_state_dict(ck['opt'])
        state = ck['state']
        print(f'resumed {last} at step {state["step"]}', flush=True)
    elif a.init:
        model.load_state_dict(torch.load(a.init, map_location=dev, weights_only=False)['model'])
        print(f'initialised from {a.init}', flush=True)

    if not a.smoke and not a.train_only:
        ensure_data(a)
    if not a.eval_only:
        views = load_views(a.data)
        val_views = load_views(a.val)
        val_pairs = fixed_pairs(val_views, 48, 1)
        emit(dict(event='start', params=count_params(model), train_images=len(views['fov']), train_pairs=len(views['pairs']),
                  val_pairs=len(val_pairs), args=vars(a)))
        total = (a.total_minutes or a.minutes) * 60
        t0, el0, images0, last_ck, running = time.time(), state['elapsed'], state['images'], time.time(), {}
        batches = iter(torch.utils.data.DataLoader(PairBatches(views, a.size, a.batch, a.seed + state['step'] + (int(time.time()) if a.resume else 0)), batch_size=None,
                                                   num_workers=a.workers, pin_memory=dev.type == 'cuda'))

        def checkpoint():
            v = evaluate(model, val_views, val_pairs, a.size, 1, with_baseline=False, device=dev)
            score = v['model']['hole_psnr_mean']
            if score > state['best']:
                state['best'] = score
                save(best, dict(model=model.state_dict(), state=state, val=v))
            save(last, dict(model=model.state_dict(), opt=opt.state_dict(), state=state))
            emit(dict(event='checkpoint', step=state['step'], images=state['images'], minutes=round(state['elapsed'] / 60, 2), val=v))

        while time.time() - t0 < a.minutes * 60:
            state['elapsed'] = el0 + time.time() - t0
            prog = min(state['elapsed'] / total, 1.0)
            lr = a.lr * min(1.0, (state['step'] + 1) / a.warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * prog))) * state['lr_scale']
            for g in opt.param_groups:
                g['lr'] = lr
            b = {k: v.to(dev, non_blocking=True) for k, v in next(batches).items()}
            loss, parts = losses(run_model(model, b), b)
            opt.zero_grad(set_to_none=True)
            if not torch.isfinite(loss):
                state['lr_scale'] *= 0.5
                emit(dict(event='skip', step=state['step'], reason='non-finite loss'))
                continue
            loss.backward()
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            if not torch.isfinite(gn):
                state['lr_scale'] *= 0.5
                emit(dict(event='skip', step=state['step'], reason='non-finite gradient'))
                continue
            opt.step()
            state['lr_scale'] = min(1.0, state['lr_scale'] * 1.001)
            state['step'] += 1
            state['images'] += a.batch
            for k, v in parts.items():
                running[k] = running.get(k, v) * 0.95 + v * 0.05
            if state['step'] % 20 == 0:
                emit(dict(event='train', step=state['step'], images=state['images'], minutes=round(state['elapsed'] / 60, 2),
                          pairs_per_s=round((state['images'] - images0) / max(state['elapsed'] - el0, 1e-6), 1),
                          lr=lr, loss=round(loss.item(), 4), grad_norm=round(gn.item(), 3), **{k: round(v, 4) for k, v in running.items()}))
            if time.time() - last_ck > a.ckpt_minutes * 60:
                checkpoint()
                last_ck = time.time()
        state['elapsed'] = el0 + time.time() - t0
        checkpoint()
        emit(dict(event='end', step=state['step'], images=state['images'], minutes=round(state['elapsed'] / 60, 2)))
    if a.train_only:
        return a.run, None

    ck = torch.load(best if os.path.exists(best) else last, map_location='cpu', weights_only=False)
    model = model.cpu()
    model.load_state_dict(ck['model'])
    test_views = load_views(a.test)
    test_pairs = fixed_pairs(test_views, a.test_pairs, 0)
    res = dict(checkpoint=os.path.relpath(best, os.path.dirname(TRAINING)), trained=dict(
        steps=ck['state']['step'], pairs_seen=ck['state']['images'], minutes=round(ck['state']['elapsed'] / 60, 1)),
        test_split='data/test: scene seeds >= 1e9; pairs and extra holes chosen by seed 0',
        held_out=evaluate(model, test_views, test_pairs, a.eval_size, 0))
    emit(dict(event='held_out', **res['held_out']))
    if not a.no_export:
        from complete.export import export
        export(model, res, a.models, os.path.join(a.run, 'log.jsonl'), a.eval_size)
    return a.run, res


if __name__ == '__main__':
    main()
