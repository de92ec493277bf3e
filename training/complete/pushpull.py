"""The classical baseline the completion model must beat: push-pull hole filling (Gortler et al. 1996).

Push: halve the resolution repeatedly, each coarse pixel the weighted mean of the known pixels under
it (weight = how much of it is known, capped at 1). Pull: from the coarsest level back up, a pixel
keeps its own value in proportion to its weight and takes the upsampled coarser value for the rest.
Known pixels come back unchanged; holes get a smooth blend of their border, like border diffusion,
in O(pixels).
"""
import numpy as np


def push_pull(values, known):
    """values [H,W,C] float, known [H,W] bool -> [H,W,C] with the unknown pixels filled."""
    v = np.where(known[..., None], values, 0.0).astype(np.float64)
    wgt = known.astype(np.float64)
    levels = []
    while True:
        levels.append((v, wgt))
        h, w = wgt.shape
        if h <= 1 and w <= 1:
            break
        hp, wp = h + h % 2, w + w % 2                      # pad odd sizes with zero-weight pixels
        vp = np.zeros((hp, wp, v.shape[2]))
        vp[:h, :w] = v * wgt[..., None]
        wp_ = np.zeros((hp, wp))
        wp_[:h, :w] = wgt
        ws = wp_.reshape(hp // 2, 2, wp // 2, 2).sum(axis=(1, 3))
        vs = vp.reshape(hp // 2, 2, wp // 2, 2, -1).sum(axis=(1, 3))
        v = vs / np.maximum(ws, 1e-12)[..., None]
        wgt = np.minimum(ws, 1.0)
    v_up = levels[-1][0]
    for v, wgt in reversed(levels[:-1]):
        h, w = wgt.shape
        coarse = _upsample(v_up, h, w)
        a = wgt[..., None]
        v_up = a * v + (1 - a) * coarse
    out = v_up.astype(np.float32)
    out[known] = values[known]
    return out


def _upsample(c, h, w):
    """Bilinear upsampling by 2 (pixel centres aligned), cropped to h x w."""
    ch, cw = c.shape[:2]
    y = (np.arange(h) + 0.5) / 2 - 0.5
    x = (np.arange(w) + 0.5) / 2 - 0.5
    y0 = np.clip(np.floor(y).astype(int), 0, ch - 1)
    x0 = np.clip(np.floor(x).astype(int), 0, cw - 1)
    y1, x1 = np.clip(y0 + 1, 0, ch - 1), np.clip(x0 + 1, 0, cw - 1)
    fy = np.clip(y - y0, 0, 1)[:, None, None]
    fx = np.clip(x - x0, 0, 1)[None, :, None]
    top = c[y0][:, x0] * (1 - fx) + c[y0][:, x1] * fx
    bot = c[y1][:, x0] * (1 - fx) + c[y1][:, x1] * fx
    return top * (1 - fy) + bot * fy


def baseline_fill(rgb, depth, hole):
    """The baseline completion of a partial view: colour and an is-sky channel push-pulled from every
    known pixel, log-depth from the known surface pixels only. Returns (rgb [H,W,3], depth [H,W] with
    0 = sky where the filled sky channel exceeds 1/2, log_depth [H,W] everywhere)."""
    known = ~hole
    sky = known & (depth <= 0)
    surf = known & (depth > 0)
    col_sky = push_pull(np.concatenate([rgb, sky[..., None].astype(np.float32)], axis=2), known)
    logd = np.log(np.where(surf, depth, 1.0))[..., None]
    log_fill = push_pull(logd, surf)[..., 0] if surf.any() else np.full(depth.shape, np.log(4.0), np.float32)
    is_sky = np.where(known, sky, col_sky[..., 3] > 0.5)
    out_depth = np.where(is_sky, 0.0, np.exp(log_fill)).astype(np.float32)
    return np.clip(col_sky[..., :3], 0, 1), out_depth, log_fill
