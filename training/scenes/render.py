"""A vectorised ray caster (numpy, one core): primary hit per pixel, exact depth along the view axis,
normals, textured Lambert shading with sun, sky light, an optional point light, shadows from the sun,
a sky (a gradient with noise clouds, or a photograph on the dome) with a sun glow, and exponential fog.

render(scene, pose, width, height, fov) -> dict(rgb uint8 HxWx3 sRGB, depth float32 HxW metres (0 = sky),
normal float32 HxWx3 in CAMERA coordinates (X right, Y up, Z towards the viewer; 0 for sky)).
"""
import numpy as np

from .camera import intrinsics
from .primitives import EPS, Terrain
from .textures import TEX, linear_to_srgb

DEPTH_MAX = 1000.0  # metres; farther hits (a ground plane near the horizon) are stored as this
SEAM = 0.2  # share of a sky photo's width cross-faded into its other end where it repeats around the dome
FOG_LAYER = 200.0  # metres: thickness of the fog layer a ray to a photographic sky crosses (see render)


_CORNERS = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], float)
_EDGES = np.array([(a, b) for a in range(8) for b in range(a + 1, 8) if bin(a ^ b).count('1') == 1])  # 12


def _clipped_box_extent(cam):
    """cam (M, 8, 3): box corners in camera coordinates (index bits = corner signs). Returns the
    extremes of x/z and y/z over the part of each box at depth >= EPS / 2 (no hit is nearer than
    EPS), and whether any part is there: that part is a convex polyhedron whose vertices are the
    corners in front and the points where the box's edges cross the plane depth = EPS / 2, and the
    extremes of x/z, y/z over it are at those vertices."""
    zn = EPS / 2
    z = -cam[..., 2]
    za, zb = z[:, _EDGES[:, 0]], z[:, _EDGES[:, 1]]
    cross = (za - zn) * (zb - zn) < 0
    with np.errstate(divide='ignore', invalid='ignore'):
        f = np.where(cross, (zn - za) / (zb - za), 0.0)
    a, b = cam[:, _EDGES[:, 0]], cam[:, _EDGES[:, 1]]
    ex = a[..., 0] + f * (b[..., 0] - a[..., 0])
    ey = a[..., 1] + f * (b[..., 1] - a[..., 1])
    zz = np.concatenate([z, np.full(cross.shape, zn)], 1)
    ok = np.concatenate([z >= zn, cross], 1)
    zz = np.where(ok, zz, 1.0)
    rx = np.concatenate([cam[..., 0], ex], 1) / zz
    ry = np.concatenate([cam[..., 1], ey], 1) / zz
    return (np.where(ok, rx, np.inf).min(1), np.where(ok, rx, -np.inf).max(1),
            np.where(ok, ry, np.inf).min(1), np.where(ok, ry, -np.inf).max(1), ok.any(1))


_BOX_CACHE = {}  # key: the primitives' ids -> _bounding_boxes' answer (the views of a scene share it)


def _bounding_boxes(prims):
    """(indices of the bounded primitives, their bounding spheres' centres (M, 3) and radii (M,), the
    world corners (M, 8, 3) of their own boxes (obb(); the sphere's axis-aligned box where there is
    none)). Computed once per set of primitives: a scene's views reuse it."""
    key = tuple(map(id, prims))
    hit = _BOX_CACHE.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], prims)):
        return hit[1]
    bounded = [i for i, p in enumerate(prims) if p.bound is not None]
    c = np.array([prims[i].bound[0] for i in bounded], float).reshape(-1, 3)
    r = np.array([prims[i].bound[1] for i in bounded], float)
    cen, half, rot = c.copy(), np.repeat(r[:, None], 3, 1), np.repeat(np.eye(3)[None], len(bounded), 0)
    for j, i in enumerate(bounded):
        if hasattr(prims[i], 'obb'):
            cen[j], half[j], rot[j] = prims[i].obb()
    world = cen[:, None, :] + np.einsum('mij,mkj->mki', rot, _CORNERS[None] * half[:, None, :])
    _BOX_CACHE.clear()  # one scene at a time
    _BOX_CACHE[key] = (list(prims), (bounded, c, r, world))
    return bounded, c, r, world


def _screen_rects(prims, pose, k, width, height):
    """Per primitive a conservative pixel rectangle (v0, v1, u0, u1) covering it, None if it is behind
    the camera or off screen; the whole image for unbounded primitives. All primitives at once, each
    by two boxes that hold it: its bounding sphere's box aligned with the camera, and its own oriented
    box (obb()) where it has one; each clipped to the depth no hit can be nearer than (EPS) and
    projected (_clipped_box_extent); the rectangle is the overlap of the two, plus a pixel of margin.
    A rectangle only culls rays that cannot hit, so the image does not depend on how tight it is."""
    rects = [(0, height, 0, width)] * len(prims)
    bounded, c, r, world = _bounding_boxes(prims)
    if not bounded:
        return rects
    rot_cam = pose[:3, :3]
    # the sphere's box, axes along the camera's
    cc = (c - pose[:3, 3]) @ rot_cam
    sphere = cc[:, None, :] + _CORNERS[None] * r[:, None, None]
    own = (world - pose[:3, 3]) @ rot_cam
    e1, e2 = _clipped_box_extent(sphere), _clipped_box_extent(own)
    xmin, xmax = np.maximum(e1[0], e2[0]), np.minimum(e1[1], e2[1])
    ymin, ymax = np.maximum(e1[2], e2[2]), np.minimum(e1[3], e2[3])
    front = e1[4] & e2[4]
    fx, fy, cx, cy = k
    lim = 4.0 * (width + height)  # clamp before int(): beyond the image is as good as infinitely far
    with np.errstate(over='ignore', invalid='ignore'):
        u0 = np.clip(np.floor(cx + fx * xmin) - 1, -lim, lim)
        u1 = np.clip(np.ceil(cx + fx * xmax) + 1, -lim, lim)
        v0 = np.clip(np.floor(cy - fy * ymax) - 1, -lim, lim)
        v1 = np.clip(np.ceil(cy - fy * ymin) + 1, -lim, lim)
    front &= np.isfinite(xmin) & np.isfinite(ymin)
    u0, v0 = np.maximum(np.nan_to_num(u0), 0).astype(int), np.maximum(np.nan_to_num(v0), 0).astype(int)
    u1, v1 = np.minimum(np.nan_to_num(u1), width).astype(int), np.minimum(np.nan_to_num(v1), height).astype(int)
    for j, i in enumerate(bounded):
        rects[i] = (v0[j], v1[j], u0[j], u1[j]) if front[j] and u0[j] < u1[j] and v0[j] < v1[j] else None
    return rects


def photo_sky_colour(sp, dirs):
    """Linear radiance of a photographic sky (Scene.photo_sky) for unit directions with y >= 0: azimuth
    -> photo column, the photo repeated every `period` radians with its last SEAM of columns cross-faded
    into its first (no seam and, unlike mirroring, no symmetric shapes); elevation -> photo row, the bottom
    row at the horizon and the top row at e_top; above it the top row blurred along x (top_row) fades to
    the top colour, fully at 1.5 e_top, so no column is smeared into streaks towards the zenith."""
    img = sp['img']
    h, w = img.shape[:2]
    x = np.mod((np.arctan2(dirs[:, 0], dirs[:, 2]) - sp['az0']) / sp['period'], 1.0) * (1 - SEAM)
    j = np.minimum((x * w).astype(np.int64), w - 1)
    j2 = np.minimum(((x + 1 - SEAM) * w).astype(np.int64), w - 1)
    a = np.clip(x / SEAM, 0, 1)[:, None]
    v = np.arcsin(np.clip(dirs[:, 1], 0, 1)) / sp['e_top']
    i = np.clip(((1 - v) * h).astype(np.int64), 0, h - 1)
    col = img[i, j] * a + img[i, j2] * (1 - a)
    above = v > 1
    if above.any():
        fade = np.clip((v[above] - 1) / 0.5, 0, 1)[:, None]
        t = sp['top_row'][j[above]] * a[above] + sp['top_row'][j2[above]] * (1 - a[above])
        col[above] = t * (1 - fade) + sp['top'] * fade
    return col


def sky_colour(scene, dirs):
    """Linear sky radiance for unit directions (N, 3)."""
    el = np.clip(dirs[:, 1], -1, 1)
    if scene.sky_photo is not None:
        col = np.broadcast_to(scene.horizon * 0.8, dirs.shape).copy()
        up = el >= 0
        col[up] = photo_sky_colour(scene.sky_photo, dirs[up])
        cos_sun = np.clip(dirs @ scene.sun_dir, -1, 1)
        return col + scene.sun_colour * (0.25 * np.clip(cos_sun, 0, 1) ** 8 + 4.0 * (cos_sun > 0.9995))[:, None]
    t = np.clip(el, 0, 1)[:, None] ** 0.5
    col = scene.horizon * (1 - t) + scene.zenith * t
    col = np.where(el[:, None] < 0, scene.horizon * 0.8, col)
    cos_sun = np.clip(dirs @ scene.sun_dir, -1, 1)
    col = col + scene.sun_colour * (0.25 * np.clip(cos_sun, 0, 1) ** 8 + 4.0 * (cos_sun > 0.9995))[:, None]
    if scene.clouds is not None:  # a noise layer on the upper hemisphere
        u = dirs[:, 0] / np.maximum(dirs[:, 1], 0.05)
        v = dirs[:, 2] / np.maximum(dirs[:, 1], 0.05)
        tex = scene.clouds
        s = tex.shape[0]
        n = tex[(np.floor(v * s * 0.15).astype(int)) % s, (np.floor(u * s * 0.15).astype(int)) % s]
        cover = np.clip((n - scene.cloud_cover) * 3, 0, 1)[:, None] * (el[:, None] > 0)
        col = col * (1 - cover) + cover * (scene.horizon * 0.5 + 0.6)
    return col


def ray_planes(pose, width, height, fov):
    """world_rays' directions as three (H, W) planes: per component the matmul's products summed in
    its order, plus 0.0 (its sum starts from +0, so a zero comes out +0); checked bit-identical."""
    fx, fy, cx, cy = intrinsics(width, height, fov)
    uu, vv = np.meshgrid((np.arange(width) + 0.5 - cx) / fx, -(np.arange(height) + 0.5 - cy) / fy)
    R = pose[:3, :3]
    return [((uu * R[k, 0] + vv * R[k, 1]) + -1.0 * R[k, 2]) + 0.0 for k in range(3)]


def render(scene, pose, width, height, fov, bank, shadows=True):
    k = intrinsics(width, height, fov)
    o = pose[:3, 3].copy()
    dx, dy, dz = ray_planes(pose, width, height, fov)
    d = np.stack([dx, dy, dz], axis=-1)
    tbest = np.full((height, width), np.inf)
    pid = np.full((height, width), -1, np.int32)
    # terrain last: its ray march stops early where something nearer was already hit
    order = sorted(range(len(scene.prims)), key=lambda i: isinstance(scene.prims[i], Terrain))
    rects = _screen_rects(scene.prims, pose, k, width, height)
    for i in order:
        prim = scene.prims[i]
        rect = rects[i]
        if rect is None:
            continue
        v0, v1, u0, u1 = rect
        sub = tbest[v0:v1, u0:u1]
        if isinstance(prim, Terrain):
            t = prim.hit(o, d[v0:v1, u0:u1].reshape(-1, 3), tlimit=sub.ravel()).reshape(sub.shape)
        else:  # views of the direction planes: no copies
            t = prim.hit_xyz(o, dx[v0:v1, u0:u1], dy[v0:v1, u0:u1], dz[v0:v1, u0:u1])
        better = t < sub
        np.copyto(sub, t, where=better)
        np.copyto(pid[v0:v1, u0:u1], i, where=better)

    d = d.reshape(-1, 3)
    t = tbest.ravel()
    pid = pid.ravel()
    hit = np.flatnonzero(pid >= 0)
    dn = d / np.linalg.norm(d, axis=1, keepdims=True)
    colour = np.empty_like(d)
    sky = np.flatnonzero(pid < 0)
    colour[sky] = sky_colour(scene, dn[sky])  # per pixel, so only where the sky is seen
    normal_w = np.zeros_like(d)
    if len(hit):
        # the hits grouped by primitive (a stable sort: each group in pixel order), so each primitive
        # works on a contiguous slice; all that is per pixel is then done once for all hits
        srt = np.argsort(pid[hit], kind='stable')
        hs = hit[srt]
        ids, starts = np.unique(pid[hs], return_index=True)
        ends = np.append(starts[1:], len(hs))
        ts_ = t[hs]
        ps = o + ts_[:, None] * d[hs]
        ds, dns = d[hs], dn[hs]
        ns = np.empty_like(ps)
        uv = np.empty((len(hs), 2))
        tex = np.empty(len(hs), np.int64)
        scale = np.empty(len(hs))
        tint = np.empty_like(ps)
        mirror_s = np.empty(len(hs))
        for i, a, b in zip(ids, starts, ends):
            prim = scene.prims[i]
            ns[a:b], uv[a:b] = prim.surface(ps[a:b], ds[a:b])
            mat = scene.materials[prim.material]
            tex[a:b], scale[a:b], tint[a:b], mirror_s[a:b] = mat['tex'], mat['scale'], mat['tint'], mat.get('mirror', 0.0)
        cosi = np.abs((ns * dns).sum(1))
        footprint = ts_ / k[0] / np.maximum(cosi, 0.15)
        level = np.log2(np.maximum(footprint * TEX / scale, 1e-6))
        albedo_s = bank.sample(tex, uv / scale[:, None], level) * tint
        # back to pixel order
        p, n, albedo, mirror = (np.empty_like(x) for x in (ps, ns, albedo_s, mirror_s))
        p[srt], n[srt], albedo[srt], mirror[srt] = ps, ns, albedo_s, mirror_s
        normal_w[hit] = n
        # lighting
        ndl = n @ scene.sun_dir
        lit = ndl > 0
        shade = np.zeros(len(hit))
        if shadows and lit.any():
            # Sun rays are parallel: project the shadow-ray origins onto the plane across the sun
            # direction, sort them along one axis, and test each primitive only against the origins
            # inside its bounding disc.
            li = np.flatnonzero(lit)
            so = p[li] + n[li] * 2e-3
            e1 = np.cross(scene.sun_dir, [0.0, 1.0, 0.0] if abs(scene.sun_dir[1]) < 0.9 else [1.0, 0, 0])
            e1 /= np.linalg.norm(e1)
            e2 = np.cross(scene.sun_dir, e1)
            qa, qb, qs = so @ e1, so @ e2, so @ scene.sun_dir
            order = np.argsort(qa)
            # the origins in that order, so each primitive's band of them is a slice
            qa_s, qb_s, qs_s, so_s = qa[order], qb[order], qs[order], so[order]
            blocked_s = np.zeros(len(li), bool)
            sun = [float(x) for x in scene.sun_dir]  # one direction for all shadow rays
            casters = [prim for prim in scene.prims if prim.bound is not None]  # planes and terrain cast no shadows
            cen = np.array([prim.bound[0] for prim in casters], float).reshape(-1, 3)
            rad = np.array([prim.bound[1] for prim in casters], float)
            cas, cbs, css = cen @ e1, cen @ e2, cen @ scene.sun_dir
            los, his = np.searchsorted(qa_s, cas - rad), np.searchsorted(qa_s, cas + rad)
            for j in np.flatnonzero(his > los):  # only the primitives whose disc holds some origins
                prim, lo, hi, r = casters[j], los[j], his[j], rad[j]
                ca, cb, cs = cas[j], cbs[j], css[j]
                sel = lo + np.flatnonzero(((qb_s[lo:hi] - cb) ** 2 + (qa_s[lo:hi] - ca) ** 2 <= r * r)
                                          & (qs_s[lo:hi] < cs + r) & ~blocked_s[lo:hi])
                if len(sel) == 0:
                    continue
                ts = prim.hit_xyz(so_s[sel], *sun)
                blocked_s[sel[np.isfinite(ts)]] = True
            blocked = np.empty_like(blocked_s)
            blocked[order] = blocked_s
            shade[li] = ndl[li] * ~blocked
        else:
            shade = np.clip(ndl, 0, None)
        light = scene.sun_colour * shade[:, None] + scene.ambient * (0.6 + 0.4 * n[:, 1:2])
        if scene.lamp is not None:
            pos, power = scene.lamp
            lv = pos - p
            dist2 = (lv * lv).sum(1)
            light = light + power * np.clip((lv * n).sum(1) / np.sqrt(dist2), 0, None)[:, None] / (1 + dist2)[:, None]
        c = albedo * light
        wm = mirror > 0
        if wm.any():  # mirror-like water and glass: add the reflected sky
            r = dn[hit[wm]] - 2 * (dn[hit[wm]] * n[wm]).sum(1, keepdims=True) * n[wm]
            c[wm] = (1 - mirror[wm, None]) * c[wm] + mirror[wm, None] * sky_colour(scene, r)
        colour[hit] = c
    # fog over the true distance along the ray (none at density 0: there it would weigh the colour by
    # exactly 1 and the fog colour by 0)
    if scene.fog_density != 0:
        dist = np.where(pid >= 0, t * np.linalg.norm(d, axis=1), 1e4)
        if scene.sky_photo is not None:
            # a photographic sky is seen through a fog layer FOG_LAYER thick: veiled at the horizon as
            # before, clear overhead unless the fog is thick (the procedural sky keeps its uniform veil)
            dist = np.where(pid >= 0, dist, np.minimum(1e4, FOG_LAYER / np.maximum(dn[:, 1], 1e-3)))
        fog = 1 - np.exp(-scene.fog_density * dist)
        colour = colour * (1 - fog[:, None]) + scene.fog_colour * fog[:, None]
    # auto exposure: the median linear value maps to the scene's key (varied per scene)
    rgb = linear_to_srgb(colour * (scene.exposure / max(float(np.median(colour)), 1e-3)))
    depth = np.where(pid >= 0, np.minimum(t, DEPTH_MAX), 0.0)
    normal_c = normal_w @ pose[:3, :3]
    return dict(rgb=(rgb.reshape(height, width, 3) * 255 + 0.5).astype(np.uint8),
                depth=depth.reshape(height, width).astype(np.float32),
                normal=normal_c.reshape(height, width, 3).astype(np.float32))
