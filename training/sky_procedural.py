"""Procedural skies for sky replacement (sky_swap.py), made at batch time as torch tensors.

Why: with the five photographed training skies as the only replacements, the network learnt those five
photos, not skies (real-sky recall on the held-out wallpapers swung from 0.05 to 0.84 between
checkpoints). Every sky made here is new: a gradient in one of several palettes (clear day, hazy,
sunset, dusk, overcast), cloud layers of multi-octave value noise, and a sun glow.

Clouds lie on a flat layer above the camera, so a pixel at elevation e sees the layer at horizontal
distance ~ 1 / tan(e): the noise is sampled at (x / tan(e), 1 / tan(e)), which squashes clouds
towards the horizon and shrinks them there as in photographs. Layers:
  cumulus  puffy patches (a high threshold on isotropic noise), lit on one side, darker bases
  stratus  broad sheets stretched along the horizon, greyer
  cirrus   thin bright streaks (noise stretched strongly along a random direction), semi-transparent
Sunset and dusk palettes light clouds from below the horizon: dark shapes on a bright band, with warm
rims near the horizon; overcast covers the sky with a grey layer of low contrast.

Everything is per-image random (one numpy Generator), vectorised over the images of a batch.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

# palettes: (zenith RGB range, horizon RGB range), sRGB 0..1; each channel drawn uniformly in its range
PALETTES = {
    'day':      (((0.10, 0.30), (0.25, 0.50), (0.55, 0.95)), ((0.55, 0.85), (0.70, 0.90), (0.85, 1.00))),
    'hazy':     (((0.40, 0.65), (0.55, 0.75), (0.70, 0.90)), ((0.75, 0.95), (0.78, 0.95), (0.80, 0.98))),
    'sunset':   (((0.15, 0.45), (0.20, 0.40), (0.35, 0.70)), ((0.85, 1.00), (0.40, 0.75), (0.10, 0.45))),
    'dusk':     (((0.03, 0.15), (0.05, 0.18), (0.15, 0.40)), ((0.55, 0.95), (0.30, 0.55), (0.25, 0.55))),
    'overcast': (((0.45, 0.75), (0.47, 0.77), (0.50, 0.82)), ((0.60, 0.90), (0.62, 0.90), (0.64, 0.92))),
}
PALETTE_P = {'day': 0.35, 'hazy': 0.12, 'sunset': 0.25, 'dusk': 0.13, 'overcast': 0.15}
LAYER_P = {'cumulus': 0.65, 'stratus': 0.4, 'cirrus': 0.35}


def value_noise(rng, m, h, w, u, v, octaves=5, base=16, device='cpu'):
    """Multi-octave value noise at sample coordinates u, v [m, h, w] (one unit = one cell of the coarsest
    octave, a grid of `base` cells, each finer octave halving the cell),
    one independent noise per image; result [m, 1, h, w] roughly in 0..1 (mean 0.5). Bicubic samples of
    random grids; coordinates outside a grid are reflected back into it (grid_sample's 'reflection'),
    which keeps arbitrarily far cloud-layer coordinates valid."""
    total = torch.zeros(m, 1, h, w, device=device)
    amp, norm = 1.0, 0.0
    for o in range(octaves):
        cells = base * 2 ** o
        grid = torch.as_tensor(rng.random((m, 1, cells + 1, cells + 1), np.float32), device=device)
        # normalised grid coordinates: one unit of u is 2 / base of [-1, 1], i.e. 2**o cells of this
        # octave; reflection folds any coordinate back into [-1, 1]; a random offset per octave decorrelates them
        off = torch.as_tensor(rng.uniform(-50, 50, (m, 1, 1, 2)), dtype=torch.float32, device=device)
        g = torch.stack([u, v], dim=-1) * (2 / base) - 1 + off
        total = total + amp * F.grid_sample(grid, g, mode='bicubic', padding_mode='reflection', align_corners=True)
        norm += amp
        amp *= 0.55
    return (total / norm).clamp(0, 1)


def smoothstep(e0, e1, x):
    t = ((x - e0) / (e1 - e0)).clamp(0, 1)
    return t * t * (3 - 2 * t)


def procedural_skies(rng, m, h, w, bottom, device='cpu'):
    """m skies [m, 3, h, w] (sRGB 0..1) for images whose lowest sky row is bottom - 1 (bottom [m] float,
    the horizon row, as in sky_swap). Row r of image i is at t = r / bottom_i (0 top, 1 horizon)."""
    dev = torch.device(device)
    per = lambda a: torch.as_tensor(np.asarray(a, np.float32), device=dev)
    names = list(PALETTE_P)
    palette = rng.choice(len(names), m, p=[PALETTE_P[k] for k in names])
    zen = np.zeros((m, 3), np.float32)
    hor = np.zeros((m, 3), np.float32)
    for i, k in enumerate(palette):
        zr, hr = PALETTES[names[k]]
        zen[i] = [rng.uniform(*c) for c in zr]
        hor[i] = [rng.uniform(*c) for c in hr]
    warm = np.isin(palette, [names.index('sunset'), names.index('dusk')])
    is_warm = per(warm).view(m, 1, 1, 1)
    overcast = palette == names.index('overcast')
    is_overcast = per(overcast).view(m, 1, 1, 1)

    rows = torch.arange(h, device=dev).float().view(1, 1, h, 1) + 0.5
    t = (rows / bottom.view(m, 1, 1, 1).clamp_min(1)).clamp(0, 1.2)  # 1 at the horizon
    # elevation: the image's sky rows span 0 .. e_top degrees above the horizon (a random share of a photo's FoV)
    e_top = per(rng.uniform(20, 70, m)).view(m, 1, 1, 1)
    elev = torch.deg2rad((1 - t).clamp_min(0) * e_top) + math.radians(0.7)  # never exactly 0: the layer would be at infinity
    cols = (torch.arange(w, device=dev).float().view(1, 1, 1, w) + 0.5) / w - 0.5
    x = cols * per(rng.uniform(0.6, 1.6, m)).view(m, 1, 1, 1) * e_top / 45  # horizontal extent in layer units
    dist = 1 / torch.tan(elev)  # distance to the cloud layer, in units of its height
    u_flat, v_flat = (x * dist).expand(m, 1, h, w), dist.expand(m, 1, h, w)

    # sky gradient: zenith -> horizon, steeper or softer per image, plus a brighter band at the horizon
    g = per(rng.uniform(0.25, 0.8, m)).view(m, 1, 1, 1)
    tt = t.clamp(0, 1) ** (1 / g)
    sky = per(zen).view(m, 3, 1, 1) * (1 - tt) + per(hor).view(m, 3, 1, 1) * tt

    # sun: somewhere across the width, at or above the horizon (often just below it for warm palettes)
    sx = per(rng.uniform(-0.7, 0.7, m)).view(m, 1, 1, 1)
    st = per(np.where(warm, rng.uniform(0.75, 1.15, m), rng.uniform(-0.3, 1.0, m))).view(m, 1, 1, 1)
    aspect = w / bottom.view(m, 1, 1, 1).clamp_min(1)
    dsun = torch.sqrt(((cols - sx) * aspect) ** 2 + (t - st) ** 2)
    glow_r = per(rng.uniform(0.08, 0.5, m)).view(m, 1, 1, 1)
    glow_c = per(np.stack([np.ones(m), rng.uniform(0.7, 0.95, m), rng.uniform(0.4, 0.85, m)], 1)).view(m, 3, 1, 1)
    glow_k = per(rng.uniform(0.1, 0.7, m) * (rng.random(m) < 0.7)).view(m, 1, 1, 1) * (1 - 0.8 * is_overcast)
    glow = glow_k * torch.exp(-dsun / glow_r)
    sky = sky + glow * (glow_c - sky).clamp_min(0)
    disc = (dsun < per(rng.uniform(0.01, 0.03, m)).view(m, 1, 1, 1)).float() * glow_k.gt(0.3).float() * (1 - is_overcast)
    sky = sky * (1 - disc) + disc * glow_c.clamp_min(0.9)

    # cloud layers, painted bottom to top: stratus, cumulus, cirrus
    lit_c = per(rng.uniform(0.85, 1.0, (m, 3))).view(m, 3, 1, 1)
    warm_rim = per(np.stack([rng.uniform(0.9, 1.0, m), rng.uniform(0.45, 0.8, m), rng.uniform(0.2, 0.6, m)], 1)).view(m, 3, 1, 1)
    dark_c = per(rng.uniform(0.25, 0.6, (m, 1)) * rng.uniform(0.9, 1.1, (m, 3))).view(m, 3, 1, 1)
    # warm palettes: clouds are dark against the light, rims warm near the horizon and near the sun
    dark_warm = per(rng.uniform(0.05, 0.3, (m, 1)) * np.array([[1.1, 0.9, 1.0]]) * rng.uniform(0.85, 1.15, (m, 3))).view(m, 3, 1, 1)
    layers = [('stratus', (rng.uniform(2.5, 6, m), rng.uniform(0.3, 0.6, m))),
              ('cumulus', (np.ones(m), rng.uniform(0.45, 0.7, m))),
              ('cirrus', (rng.uniform(6, 15, m), rng.uniform(0.5, 0.7, m)))]
    for name, (stretch, thresh) in layers:
        on = rng.random(m) < LAYER_P[name]
        if name == 'stratus':
            on |= overcast
            thresh = np.where(overcast, rng.uniform(0.0, 0.35, m), thresh)
        if not on.any():
            continue
        scale = per(rng.uniform(0.5, 2.5, m)).view(m, 1, 1, 1)  # cloud size, in layer-height units
        if name == 'cirrus':  # streaks along a random direction in the layer plane
            a = per(rng.uniform(0, math.pi, m)).view(m, 1, 1, 1)
            u = (u_flat * torch.cos(a) + v_flat * torch.sin(a)) / per(stretch).view(m, 1, 1, 1)
            v = -u_flat * torch.sin(a) + v_flat * torch.cos(a)
        else:
            u, v = u_flat / per(stretch).view(m, 1, 1, 1), v_flat
        u, v = u[:, 0] / scale[:, 0], v[:, 0] / scale[:, 0]
        n = value_noise(rng, m, h, w, u, v, octaves=5, device=dev)
        soft = per(rng.uniform(0.05, 0.2, m)).view(m, 1, 1, 1)
        th = per(thresh).view(m, 1, 1, 1)
        cover = smoothstep(th, th + soft, n)
        # shading: noise a little towards the sun minus here; positive = this side faces away (darker)
        n2 = value_noise(rng, m, h, w, u + 0.05, v + 0.05, octaves=3, device=dev)
        shade = ((n - n2) * 3 + 0.3).clamp(0, 1)
        base_lit = lit_c * (1 - 0.25 * is_overcast) * (0.9 + 0.2 * per(rng.random(m)).view(m, 1, 1, 1))
        day_col = base_lit * (1 - shade) + dark_c * shade
        near_h = t.clamp(0, 1) ** 3
        warm_col = dark_warm * (1 - near_h * (1 - shade)) + warm_rim * near_h * (1 - shade) + glow * warm_rim
        col = torch.where(is_warm > 0, warm_col, day_col)
        alpha = cover * (0.5 if name == 'cirrus' else 0.95) * per(on).view(m, 1, 1, 1)
        alpha = alpha * per(rng.uniform(0.6, 1.0, m)).view(m, 1, 1, 1)
        # far out on the layer the noise is sampled far coarser than its cells (aliased streaks): there
        # the layer thins out into the haze, from a random distance on
        fade = per(rng.uniform(8, 40, m)).view(m, 1, 1, 1)
        alpha = alpha * (1.5 - dist / fade).clamp(0, 1)
        sky = sky * (1 - alpha) + col * alpha
    # haze at the horizon: clouds and glow fade into the horizon colour there
    haze = (t.clamp(0, 1) ** per(rng.uniform(4, 14, m)).view(m, 1, 1, 1)) * per(rng.uniform(0.2, 0.8, m)).view(m, 1, 1, 1)
    sky = sky * (1 - haze) + per(hor).view(m, 3, 1, 1) * haze
    return sky.clamp(0, 1)
