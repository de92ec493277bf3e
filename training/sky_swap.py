"""Sky replacement: the sky of a training image is swapped for a photographed or a procedural one, at batch time.

Why: rendering a scene costs about a second of CPU, so a training run sees each rendered sky many times,
and only about half the outdoor scenes were rendered with a photographed sky at all. The sky's pixels are
known exactly (depth 0), so any sky can be pasted in without touching depth, normals or the sky label.
Every batch then shows skies the network has not seen in that arrangement: other crops of the photos,
other heights, and "sunset" grades that turn a photo's clouds into dark shapes against orange light (the
wallpapers hold one sunset, EveningGlow, and it is held out to keep docs/real honest).

A share `procedural` of the replaced skies are made by sky_procedural.py instead (gradients in five
palettes, noise clouds, a sun glow): with photos alone the network learnt the five photos, not skies.

The photos come from the texture bank's sky table (scenes/textures.py, scenes/sky_photos.py), minus
HOLD_OUT. The photo's sky is stretched over the image rows from the top down to the lowest sky pixel, so
the photo's horizon lands on the scene's.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

from sky_procedural import procedural_skies

BANK = os.path.join(os.path.dirname(__file__), 'data', 'textures.npz')


def load_skies(path=BANK, device='cpu'):
    """The training skies as a float tensor [K, 3, H, W] (sRGB 0..1), or None when there is no bank."""
    if not os.path.exists(path):
        return None
    from scenes.sky_photos import HOLD_OUT
    with np.load(path) as z:
        if 'sky' not in z.files or len(z['sky']) == 0:
            return None
        keep = [i for i, name in enumerate(z['sky_names']) if str(name) not in HOLD_OUT]
        if not keep:
            return None
        sky = z['sky'][keep]
    return torch.from_numpy(sky).permute(0, 3, 1, 2).float().div(255.0).to(device)


def sunset_grade(sky, t, warm, dark, gamma):
    """Clouds lit from below the horizon: luminance picks between a dark cloud colour and a warm light,
    and the light grows towards the horizon (t = 0 at the top row, 1 at the horizon).
    sky [N,3,H,W]; t [N,1,H,1]; warm, dark [N,3,1,1]; gamma [N,1,1,1]."""
    lum = (0.3 * sky[:, 0:1] + 0.6 * sky[:, 1:2] + 0.1 * sky[:, 2:3]).clamp(0, 1)
    light = (lum ** gamma) * (0.35 + 0.9 * t)
    return (dark + (warm - dark) * light.clamp(0, 1)).clamp(0, 1)


def swap_sky(rng, image, depth, skies, p=0.3, sunset=0.5, min_share=0.02, procedural=0.0):
    """With probability p per image whose sky covers at least min_share of it, its sky pixels (depth 0)
    become a procedural sky (sky_procedural.py) with probability `procedural` (always, when there are no
    photos), else a random crop of a random photographed sky, graded as a sunset with probability `sunset`.
    image [N,3,H,W] 0..1, depth [N,1,H,W] (0 = sky); returns the new image (depth is unchanged)."""
    if p <= 0 or (skies is None and procedural <= 0):
        return image
    n, _, h, w = image.shape
    sky_mask = depth <= 0
    share = sky_mask.float().mean(dim=(1, 2, 3)).cpu().numpy()
    chosen = np.flatnonzero((rng.random(n) < p) & (share >= min_share))
    if len(chosen) == 0:
        return image
    dev = image.device
    m = len(chosen)
    # The lowest row holding sky, per chosen image: the photo's horizon goes there.
    rows = torch.arange(h, device=dev).view(1, h)
    has_sky_row = sky_mask[chosen, 0].any(dim=2)  # [m, h]
    bottom = torch.where(has_sky_row, rows + 1, torch.zeros_like(rows)).amax(dim=1).float()  # rows 0..bottom-1
    # Affine map from the target's normalised coordinates to the photo's: x over a random window of the
    # photo's width, y so that target row 0 -> the photo's top and target row `bottom` -> its horizon.
    width_share = torch.as_tensor(rng.uniform(0.3, 0.9, m), dtype=torch.float32, device=dev)
    x_mid = torch.as_tensor(rng.uniform(0, 1, m), dtype=torch.float32, device=dev) * (1 - width_share) * 2 - (1 - width_share)
    y_bottom = 2 * bottom / h - 1  # the target's normalised y of the horizon
    ay = 2 / (y_bottom + 1).clamp_min(1e-3)
    theta = torch.zeros(m, 2, 3, device=dev)
    theta[:, 0, 0], theta[:, 0, 2] = width_share, x_mid
    theta[:, 1, 1], theta[:, 1, 2] = ay, ay - 1
    if skies is None:  # procedural skies only; a grey stand-in for the photo path's arithmetic below
        photos = torch.full((m, 3, 2, 2), 0.5, device=dev)
    else:
        photos = skies[torch.as_tensor(rng.integers(0, len(skies), m), device=dev)]
    grid = F.affine_grid(theta, (m, 3, h, w), align_corners=False)
    new_sky = F.grid_sample(photos, grid, mode='bilinear', padding_mode='border', align_corners=False)
    # Grades: a gain per channel for all, a sunset for some.
    per = lambda a: torch.as_tensor(np.asarray(a, np.float32), device=dev)
    gain = per(rng.uniform(0.8, 1.2, (m, 3))).view(m, 3, 1, 1)
    graded = (new_sky * gain).clamp(0, 1)
    t = (rows.float().view(1, 1, h, 1) / bottom.view(m, 1, 1, 1).clamp_min(1)).clamp(0, 1)
    warm = per(np.stack([rng.uniform(0.9, 1.0, m), rng.uniform(0.4, 0.75, m), rng.uniform(0.1, 0.4, m)], 1)).view(m, 3, 1, 1)
    dark = per(rng.uniform(0.06, 0.3, (m, 1)) * rng.uniform(0.8, 1.2, (m, 3))).view(m, 3, 1, 1)
    gamma = per(rng.uniform(0.6, 1.6, m)).view(m, 1, 1, 1)
    sunset_rows = per(rng.random(m) < sunset).view(m, 1, 1, 1) > 0
    graded = torch.where(sunset_rows, sunset_grade(new_sky, t, warm, dark, gamma), graded)
    if procedural > 0:
        made = np.flatnonzero((rng.random(m) < procedural) | (skies is None))
        if len(made):
            mi = torch.as_tensor(made, device=dev)
            graded[mi] = procedural_skies(rng, len(made), h, w, bottom[mi], device=dev)
    out = image.clone()
    idx = torch.as_tensor(chosen, device=dev)
    out[idx] = torch.where(sky_mask[idx], graded, image[idx])
    return out
