"""Depth metrics on valid (non-sky) pixels, per image, then averaged over images.

AbsRel = mean(|pred - gt| / gt); delta1 = fraction of pixels with max(pred/gt, gt/pred) < 1.25.
'metric': the prediction as it is, in metres. 'median': the prediction scaled per image so its median
equals the ground truth's median (the usual scale-invariant protocol).
"""
import torch


def depth_metrics(pred, gt):
    """pred, gt: [N, 1, H, W] depth in metres; gt == 0 marks sky (ignored). Returns a dict of floats."""
    out = {'metric_absrel': [], 'metric_delta1': [], 'median_absrel': [], 'median_delta1': []}
    for p, g in zip(pred, gt):
        m = g > 0
        if m.sum() < 16:
            continue
        p, g = p[m].clamp_min(1e-3), g[m]
        for name, q in (('metric', p), ('median', p * (g.median() / p.median()))):
            out[f'{name}_absrel'].append(((q - g).abs() / g).mean().item())
            out[f'{name}_delta1'].append((torch.maximum(q / g, g / q) < 1.25).float().mean().item())
    return {k: sum(v) / max(len(v), 1) for k, v in out.items()} | {'images': len(out['metric_absrel'])}


def constant_baseline(gt_train_median, gt):
    """The constant-depth guess: every pixel at the training set's median depth."""
    return depth_metrics(torch.full_like(gt, gt_train_median), gt)
