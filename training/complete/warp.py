"""Partial views for the completion model: what view A's content shows from pose B.

forward_warp() reprojects every pixel of A (its exact depth, so its exact 3-D point) into B and keeps
the nearest one per target pixel (a z-buffer) - what A's splats would show at B. Each point covers its
2x2 nearest target pixels so a slightly magnified surface has no cracks; sky pixels of A are
directions at infinity and land wherever no surface does. What B sees that nothing of A reaches is
the hole. Conventions: scenes/camera.py (camera looks down -Z, Y up, pixel centres at i + 0.5,
pose = camera-to-world, depth along the view axis, 0 = sky).
"""
import numpy as np

from scenes.camera import camera_rays, intrinsics


def forward_warp(rgb_a, depth_a, pose_a, pose_b, fov, out_hw=None):
    """rgb_a [H,W,3] (any dtype), depth_a [H,W] metres (0 = sky), poses 4x4 camera-to-world, one vertical
    FoV for both views. Returns (rgb [h,w,3] float32 0..1, depth [h,w] float32 (0 = sky or unknown),
    hole [h,w] bool) at out_hw (default: A's size)."""
    h_a, w_a = depth_a.shape
    h, w = out_hw or (h_a, w_a)
    col = rgb_a.reshape(-1, 3).astype(np.float32)
    if rgb_a.dtype == np.uint8:
        col /= 255.0
    d = np.nan_to_num(depth_a.astype(np.float64), posinf=0.0).ravel()
    rays = camera_rays(w_a, h_a, fov)                       # z = -1, so ray * depth is the point
    rel = np.linalg.inv(pose_b) @ pose_a                     # A's camera frame -> B's camera frame
    fx, fy, cx, cy = intrinsics(w, h, fov)

    out_rgb = np.zeros((h * w, 3), np.float32)
    out_z = np.full(h * w, np.inf)
    hit = np.zeros(h * w, bool)

    # Sky first (directions, rotation only): anything solid drawn later overwrites it.
    sky = d <= 0
    if sky.any():
        dirs = rays[sky] @ rel[:3, :3].T
        _splat(dirs, col[sky], np.full(sky.sum(), 1e30), fx, fy, cx, cy, w, h, out_rgb, out_z, hit, sky_pass=True)
    solid = ~sky
    if solid.any():
        pts = (rays[solid] * d[solid, None]) @ rel[:3, :3].T + rel[:3, 3]
        _splat(pts, col[solid], -pts[:, 2], fx, fy, cx, cy, w, h, out_rgb, out_z, hit, sky_pass=False)
    depth = np.where(np.isfinite(out_z) & (out_z < 1e29), out_z, 0.0).astype(np.float32)
    return out_rgb.reshape(h, w, 3), depth.reshape(h, w), ~hit.reshape(h, w)


def _splat(p, col, z, fx, fy, cx, cy, w, h, out_rgb, out_z, hit, sky_pass):
    front = p[:, 2] < -1e-6
    p, col, z = p[front], col[front], z[front]
    u = fx * p[:, 0] / -p[:, 2] + cx                         # continuous pixel coordinates
    v = cy - fy * p[:, 1] / -p[:, 2]
    order = np.argsort(-z, kind='stable')                    # far first: the nearest write wins
    # pass 1: the pixel that contains the point (a view warped onto itself comes back exactly);
    # pass 2: the 2x2 pixels around it, only where pass 1 left nothing (closes magnification cracks)
    xn, yn = np.floor(u).astype(np.int64), np.floor(v).astype(np.int64)
    x0, y0 = np.floor(u - 0.5).astype(np.int64), np.floor(v - 0.5).astype(np.int64)
    passes = [(xn, yn, False)] + [(x0 + dx, y0 + dy, True) for dx in (0, 1) for dy in (0, 1)]
    first_hit = None
    for x, y, only_empty in passes:
        if only_empty and first_hit is None:
            first_hit = hit.copy()
        ok = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        sel = order[ok[order]]
        idx = y[sel] * w + x[sel]
        if only_empty:
            keep = ~first_hit[idx]
            sel, idx = sel[keep], idx[keep]
        if not sky_pass:
            # numpy fancy assignment keeps the last duplicate: sel runs far to near, so the nearest
            # wins; and a point replaces only what is farther (sky, or a farther point)
            closer = z[sel] < out_z[idx]
            sel, idx = sel[closer], idx[closer]
            out_z[idx] = z[sel]
        out_rgb[idx] = col[sel]
        hit[idx] = True


def scene_pairs(seeds, views):
    """Indices (a, b), a != b, of samples that share a scene seed: every ordered pair."""
    by = {}
    for i, (s, v) in enumerate(zip(seeds, views)):
        by.setdefault(int(s), []).append(i)
    return [(a, b) for idx in by.values() for a in idx for b in idx if a != b]


def extra_holes(rng, hole, p=0.6):
    """More holes on top of the warp's (B's truth is known everywhere, so any pixel may be hidden):
    a band at one side, as a camera turning shows, or a blob. Trains filling wide regions."""
    h, w = hole.shape
    if rng.random() > p:
        return hole
    hole = hole.copy()
    if rng.random() < 0.6:
        side, frac = rng.integers(4), rng.uniform(0.1, 0.5)
        n = int(frac * (w if side < 2 else h))
        if side == 0:
            hole[:, :n] = True
        elif side == 1:
            hole[:, w - n:] = True
        elif side == 2:
            hole[:n] = True
        else:
            hole[h - n:] = True
    else:
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        ry, rx = rng.uniform(0.08, 0.3) * h, rng.uniform(0.08, 0.3) * w
        yy, xx = np.mgrid[0:h, 0:w]
        hole |= ((yy + 0.5 - cy) / ry) ** 2 + ((xx + 0.5 - cx) / rx) ** 2 < 1
    return hole
