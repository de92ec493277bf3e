"""Analytic primitives for the ray caster.

Every primitive has
  hit(o, d)      -> t (N,), np.inf where the ray misses; o is (3,) or (N, 3), d is (N, 3) (not normalised)
  hit_xyz(o, dx, dy, dz) -> the same from the directions' three components as arrays of any one shape
                    (the renderer passes views of its per-pixel planes, so no (N, 3) copies are made)
  surface(p, d)  -> (normal (N, 3) unit, facing the ray; uv (N, 2) in metres on the surface)
  bound          -> (centre (3,), radius): a bounding sphere, used to cull rays
  material       -> an index into the scene's material list
Only hits with t > EPS count.
"""
import numpy as np

EPS = 1e-4
BIG = 1e9
_FMAX = np.finfo(np.float64).max


def _face_ray(n, d):
    flip = np.einsum('ij,ij->i', n, d) > 0
    n[flip] *= -1
    return n


def _face_ray_cols(n0, n1, n2, d):
    """_face_ray of a normal given as three components, returned as (N, 3); the dot product summed
    in einsum's order, (0 + 2) + 1 (checked bit-identical)."""
    flip = (n0 * d[:, 0] + n2 * d[:, 2]) + n1 * d[:, 1] > 0
    return np.stack([np.where(flip, -n0, n0), np.where(flip, -n1, n1), np.where(flip, -n2, n2)], axis=1)


def _local_cols(p, c, R):
    """(p - c) @ R as three component arrays, zeros' signs included (see _rotate_cols)."""
    return [x + 0.0 for x in _rotate_cols(R, p[:, 0] - c[0], p[:, 1] - c[1], p[:, 2] - c[2])]


def _local_origin(o, c, R):
    """(o - c) @ R as three components: scalars for one origin (3,), arrays for one per ray (N, 3)
    (shadow rays), the same values either way."""
    if np.ndim(o) == 1:
        v = (o - c) @ R
        return [v[0], v[1], v[2]]
    return _local_cols(o, c, R)


def _times_transpose(n, R):
    """n @ R.T for n given as three component arrays, zeros' signs included (see _rotate_cols)."""
    return [((n[0] * R[i, 0] + n[1] * R[i, 1]) + n[2] * R[i, 2]) + 0.0 for i in range(3)]


def _norm_cols(x0, x1, x2):
    """np.linalg.norm(x, axis=1) of x given as three components: sqrt((x0^2 + x1^2) + x2^2), its order."""
    return np.sqrt((x0 * x0 + x1 * x1) + x2 * x2)


def _rotate_cols(R, dx, dy, dz):
    """(d @ R) as three component arrays: per component the same products summed in the same order as
    numpy's (N, 3) @ (3, 3) (checked bit-identical), without the (N, 3) arrays. The matmul's sum starts
    from +0, so where it comes out zero it is +0, here it may be -0 (adding 0.0 makes it +0, as
    _local_cols does); the ray tests do not depend on a zero's sign (a slab's 1/+-0 = +-inf only swaps
    its entry and exit, and the other uses square or compare it), so they skip that addition.
    An unrotated frame (yaw 0: R has exact 0s and 1s) gives back the components themselves: the
    same values, but for a zero's sign."""
    if R[0, 0] == R[1, 1] == R[2, 2] == 1.0 and R[0, 1] == R[0, 2] == R[1, 0] == R[1, 2] == R[2, 0] == R[2, 1] == 0.0:
        return [dx, dy, dz]
    return [dx * R[0, k] + dy * R[1, k] + dz * R[2, k] for k in range(3)]


def _yaw_matrix(yaw):
    c, s = np.cos(yaw), np.sin(yaw)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


class Plane:
    """Infinite plane through p0 with normal n; uv along two tangent axes."""

    def __init__(self, p0, n, material):
        self.p0 = np.asarray(p0, float)
        self.n = np.asarray(n, float) / np.linalg.norm(n)
        a = np.array([1.0, 0, 0]) if abs(self.n[0]) < 0.9 else np.array([0, 0, 1.0])
        self.tu = np.cross(self.n, a)
        self.tu /= np.linalg.norm(self.tu)
        self.tv = np.cross(self.n, self.tu)
        self.material = material
        self.bound = None  # unbounded

    def hit(self, o, d):
        return self.hit_xyz(o, d[:, 0], d[:, 1], d[:, 2])

    def hit_xyz(self, o, dx, dy, dz):
        dn = dx * self.n[0] + dy * self.n[1] + dz * self.n[2]  # = d @ n, summed in the same order
        with np.errstate(divide='ignore', invalid='ignore'):
            t = ((self.p0 - o) @ self.n) / dn
        t = np.where((t > EPS) & np.isfinite(t), t, np.inf)
        return t

    def surface(self, p, d):
        n = np.broadcast_to(self.n, p.shape).copy()
        uv = np.stack([p @ self.tu, p @ self.tv], axis=1)
        return _face_ray(n, d), uv


class Box:
    """Box with centre c, half sizes h, rotated by yaw about +Y.
    inside=True: the ray is inside (a room) and hits the far walls; holes are (face, u0, u1, v0, v1)
    rectangles (in local face coordinates, metres from the centre) that let rays through (windows)."""

    def __init__(self, c, h, yaw, material, inside=False, holes=(), face_materials=None):
        self.c = np.asarray(c, float)
        self.h = np.asarray(h, float)
        self.R = _yaw_matrix(yaw)
        self.material = material
        self.face_materials = face_materials  # optional: material per local axis (0: x walls, 1: y floor/ceiling split below, 2: z)
        self.inside = inside
        self.holes = list(holes)
        self.bound = (self.c, float(np.linalg.norm(self.h)))

    def obb(self):
        """(centre, half sizes, rotation to world) of a box holding it (for screen culling)."""
        return self.c, self.h, self.R

    def hit(self, o, d):
        return self.hit_xyz(o, d[:, 0], d[:, 1], d[:, 2])

    def hit_xyz(self, o, dx, dy, dz):
        """Slab test per local axis. Per axis the entry/exit times are what the (N, 3) form computed,
        with the same NaN convention (a ray in a slab's plane and parallel to it: NaN -> -+BIG), so
        the hits are bit-identical. (That form also turned +-inf into +-float max, which changes no
        hit: the extremes over the three axes are infinite only for a ray parallel to all three.)"""
        lo = _local_origin(o, self.c, self.R)
        ld = _rotate_cols(self.R, dx, dy, dz)
        tmin = tmax = None
        with np.errstate(divide='ignore', invalid='ignore'):
            for k in range(3):
                inv = 1.0 / ld[k]
                a, b = -self.h[k] - lo[k], self.h[k] - lo[k]
                t1, t2 = a * inv, b * inv
                near, far = np.minimum(t1, t2), np.maximum(t1, t2)
                if np.ndim(a) or not (a and b):  # NaN (0 * inf) is possible only with a zero here
                    near[np.isnan(near)] = -BIG
                    far[np.isnan(far)] = BIG
                tmin = near if tmin is None else np.maximum(tmin, near)
                tmax = far if tmax is None else np.minimum(tmax, far)
        if self.inside:
            t = np.where(tmax > EPS, tmax, np.inf)
            if self.holes:
                p = [lo[k] + t * ld[k] for k in range(3)]
                for face, u0, u1, v0, v1 in self.holes:
                    axis, sign = face // 2, 1 - 2 * (face % 2)
                    on = np.abs(p[axis] - sign * self.h[axis]) < 1e-3
                    a, b = [k for k in range(3) if k != axis]
                    inside = on & (p[a] > u0) & (p[a] < u1) & (p[b] > v0) & (p[b] < v1)
                    t = np.where(inside, np.inf, t)
            return t
        ok = (tmax >= tmin) & (tmax > EPS)
        t = np.where(tmin > EPS, tmin, tmax)
        return np.where(ok, t, np.inf)

    def surface(self, p, d):
        lp = _local_cols(p, self.c, self.R)
        q0, q1, q2 = (np.abs(lp[k]) / self.h[k] for k in range(3))
        axis = np.where((q0 >= q1) & (q0 >= q2), 0, np.where(q1 >= q2, 1, 2))  # = argmax (first of ties)
        nl = [np.where(axis == k, np.sign(lp[k]), 0.0) for k in range(3)]
        n = _times_transpose(nl, self.R)
        # uv: the two local coordinates other than the face axis (metres)
        u = np.where(axis == 0, lp[2], lp[0])
        v = np.where(axis == 1, lp[2], lp[1])
        return _face_ray_cols(*n, d), np.stack([u, v], axis=1)


class Ellipsoid:
    def __init__(self, c, r, yaw, material, bumpy=0.0):
        self.c = np.asarray(c, float)
        self.r = np.asarray(r, float)
        self.R = _yaw_matrix(yaw)
        self.material = material
        self.bumpy = bumpy
        self.bound = (self.c, float(self.r.max()))

    def obb(self):
        return self.c, self.r, self.R

    def hit(self, o, d):
        return self.hit_xyz(o, d[:, 0], d[:, 1], d[:, 2])

    def hit_xyz(self, o, dx, dy, dz):
        lo = [v / self.r[k] for k, v in enumerate(_local_origin(o, self.c, self.R))]
        l0, l1, l2 = (v / self.r[k] for k, v in enumerate(_rotate_cols(self.R, dx, dy, dz)))
        # the sums in the order the (N, 3) form had them: einsum('ij,ij->i') adds (0 + 2) + 1,
        # the reductions over the last axis add left to right (both checked bit-identical)
        a = (l0 * l0 + l2 * l2) + l1 * l1
        b = (l0 * lo[0] + l1 * lo[1]) + l2 * lo[2]
        c = ((lo[0] * lo[0] + lo[1] * lo[1]) + lo[2] * lo[2]) - 1.0  # the reduction's order
        disc = b * b - a * c
        sq = np.sqrt(np.maximum(disc, 0))
        t0 = (-b - sq) / a
        t1 = (-b + sq) / a
        t = np.where(t0 > EPS, t0, np.where(t1 > EPS, t1, np.inf))
        return np.where(disc >= 0, t, np.inf)

    def surface(self, p, d):
        # component by component, each operation the one the (N, 3) form made (bit-identical)
        lp = _local_cols(p, self.c, self.R)
        r2 = self.r ** 2
        nl = [lp[k] / r2[k] for k in range(3)]
        if self.bumpy:
            nn = _norm_cols(*nl)
            nl = [x / nn for x in nl]
            f = 9.0 / self.r.mean()
            bump = [np.sin(f * lp[1] + 3 * np.sin(f * lp[2])),
                    np.sin(f * lp[2] + 2 * np.sin(f * lp[0])),
                    np.sin(f * lp[0] + 3 * np.sin(f * lp[1]))]
            nl = [nl[k] + self.bumpy * bump[k] for k in range(3)]
        n = _times_transpose(nl, self.R)
        nn = _norm_cols(*n)
        n = [x / nn for x in n]
        uv = np.stack([np.arctan2(lp[0] / self.r[0], lp[2] / self.r[2]) * self.r[[0, 2]].mean(), lp[1]], axis=1)
        return _face_ray_cols(*n, d), uv


class Cylinder:
    """Vertical capped cylinder: axis through (x, z), from y0 to y1."""

    def __init__(self, x, z, y0, y1, radius, material):
        self.x, self.z, self.y0, self.y1, self.rad = x, z, y0, y1, radius
        self.material = material
        half = (y1 - y0) / 2
        self.bound = (np.array([x, (y0 + y1) / 2, z]), float(np.hypot(half, radius)))

    def obb(self):
        return self.bound[0], np.array([self.rad, (self.y1 - self.y0) / 2, self.rad]), np.eye(3)

    def hit(self, o, d):
        return self.hit_xyz(o, d[:, 0], d[:, 1], d[:, 2])

    def hit_xyz(self, o, dx, dy, dz):
        ox = o[..., 0] - self.x
        oz = o[..., 2] - self.z
        oy = o[..., 1]
        a = dx ** 2 + dz ** 2
        b = ox * dx + oz * dz
        c = ox * ox + oz * oz - self.rad ** 2
        disc = b * b - a * c
        sq = np.sqrt(np.maximum(disc, 0))
        with np.errstate(divide='ignore', invalid='ignore'):
            t0 = (-b - sq) / a
            t1 = (-b + sq) / a
            best = np.full(np.broadcast(ox, dx).shape, np.inf)
            for tt in (t1, t0):
                y = oy + tt * dy
                ok = (disc >= 0) & (tt > EPS) & (y >= self.y0) & (y <= self.y1)
                best = np.where(ok & (tt < best), tt, best)
            for yc in (self.y0, self.y1):
                tc = (yc - oy) / dy
                px = ox + tc * dx
                pz = oz + tc * dz
                ok = (tc > EPS) & (px * px + pz * pz <= self.rad ** 2)
                best = np.where(ok & (tc < best), tc, best)
        return np.where(np.isnan(best), np.inf, best)

    def surface(self, p, d):
        rx, rz = p[:, 0] - self.x, p[:, 2] - self.z
        cap = (np.abs(p[:, 1] - self.y1) < 1e-4) | (np.abs(p[:, 1] - self.y0) < 1e-4)
        n = np.stack([rx, np.zeros_like(rx), rz], axis=1)
        n[cap] = [0, 1, 0]
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-9)
        uv = np.stack([np.where(cap, rx, np.arctan2(rx, rz) * self.rad), np.where(cap, rz, p[:, 1])], axis=1)
        return _face_ray(n, d), uv


class Terrain:
    """Heightfield y = h(x, z): a sum of random sinusoids (hills) flattened near `flat_at`.
    Ray marched with geometric steps, then refined by bisection."""

    def __init__(self, rng, amplitude, material, flat_at=(0.0, 0.0), flat_radius=3.0, base=0.0):
        k = 5
        self.freq = rng.uniform(0.01, 0.12, k) * np.exp(rng.uniform(0, 1.5, k))
        ang = rng.uniform(0, 2 * np.pi, k)
        self.w = np.stack([np.cos(ang), np.sin(ang)], 1) * self.freq[:, None]
        self.amp = np.minimum(amplitude * rng.uniform(0.3, 1.0, k), rng.uniform(0.05, 0.35, k) / self.freq)  # slope <= 0.35 each
        self.phase = rng.uniform(0, 2 * np.pi, k)
        self.flat_at = np.asarray(flat_at, float)
        self.flat_radius = flat_radius
        self.base = base
        self.material = material
        self.bound = None
        self.hmax = base + np.abs(self.amp).sum()
        self.base -= self._raw(self.flat_at[None, 0], self.flat_at[None, 1])[0]  # camera spot at y = base
        self.hmax = self.base + 2 * np.abs(self.amp).sum()

    def _raw(self, x, z):
        arg = x[:, None] * self.w[:, 0] + z[:, None] * self.w[:, 1] + self.phase
        return (self.amp * np.sin(arg)).sum(axis=1)

    def height(self, x, z):
        return self.base + self._raw(x, z)

    def grad(self, x, z):
        """(dh/dx, dh/dz), term by term in the order the (N, k) sums had them (bit-identical)."""
        gx = gz = None
        for k in range(len(self.amp)):
            c = self.amp[k] * np.cos(x * self.w[k, 0] + z * self.w[k, 1] + self.phase[k])
            gx = c * self.w[k, 0] if gx is None else gx + c * self.w[k, 0]
            gz = c * self.w[k, 1] if gz is None else gz + c * self.w[k, 1]
        return gx, gz

    def _height1(self, x, z):
        """height() of 1-D arrays, term by term: the same operations in the same order as _raw (whose
        (N, k) sum adds the terms left to right), so bit-identical, without the (N, k) temporaries."""
        h = None
        for k in range(len(self.amp)):
            term = self.amp[k] * np.sin(x * self.w[k, 0] + z * self.w[k, 1] + self.phase[k])
            h = term if h is None else h + term
        return self.base + h

    def hit(self, o, d, tmax=400.0, steps=48, tlimit=None):
        """March each ray over the fixed steps `ts`; at the first step found below the surface, bisect
        between it and the step before. tlimit (N,): a ray already blocked nearer than this stops
        marching after the first step beyond it.

        The hit is defined by that step grid, and this finds exactly the step the plain march (test every
        ray at every step) finds, testing far fewer: along a ray the height changes by at most `slope`
        per unit of t, so a ray `gap` metres above the surface at step t cannot be below it before
        t + gap / (slope - d_y), and no height exceeds `top`; steps a ray cannot be below at are
        skipped (their test would say 'not below'), and a ray that can never get below is dropped. `margin`
        covers float rounding in those bounds (~1e-13 m) many times over."""
        n = len(d)
        o = np.broadcast_to(o, d.shape)
        t_out = np.full(n, np.inf)
        ts = np.concatenate([[1e-3], np.geomspace(0.05, tmax, steps)])
        tl = np.full(n, np.inf) if tlimit is None else np.asarray(tlimit, float)
        amp_sum = float(np.abs(self.amp).sum())
        scale = float(np.abs(o).max() + tmax * np.abs(d).max()) if n else 0.0
        margin = 1e-6 * (1 + abs(self.base) + amp_sum) + 1e-9 * scale
        top = self.base + amp_sum + margin
        ox, oy, oz = (np.ascontiguousarray(o[:, k], float) for k in range(3))
        dx, dy, dz = (np.ascontiguousarray(d[:, k], float) for k in range(3))
        # how fast the gap to the surface can shrink along each ray: the height's slope along the ray's
        # horizontal direction is at most sum_k |amp_k (w_k . d_xz)|
        slope = np.abs(self.amp[0] * (self.w[0, 0] * dx + self.w[0, 1] * dz))
        for k in range(1, len(self.amp)):
            slope += np.abs(self.amp[k] * (self.w[k, 0] * dx + self.w[k, 1] * dz))
        rate = slope * (1 + 1e-9) - dy
        # the first safe step from the eye: gap there, and the band above `top`
        if o.strides[0] == 0:  # one eye for all rays (primary rays): one height
            g0 = np.full(n, oy[0] - self._height1(ox[:1], oz[:1])[0])
        else:
            g0 = oy - self._height1(ox, oz)
        with np.errstate(divide='ignore', invalid='ignore'):
            safe = np.where(rate > 0, (g0 - margin) / rate, np.inf)
            safe = np.where(g0 > margin, safe, 0.0)
            band = np.where(dy < 0, (oy - top) / -dy, np.where(oy > top, np.inf, -np.inf))
        safe = np.maximum(safe, band)
        te, ge = np.zeros(n), g0  # per ray the last point tested above the surface: t, gap
        curv = self._curvature(dx, dz)
        with np.errstate(divide='ignore', invalid='ignore'):
            reach_top = np.where(dy < 0, (oy - top) / -dy, -np.inf)  # descending rays: above `top` until then
        arrays = [np.arange(n), ox, oy, oz, dx, dy, dz, rate, tl, safe, te, ge, curv, reach_top]
        crossed = []
        for j in range(1, len(ts)):
            t, prev = ts[j], ts[j - 1]
            live, ox, oy, oz, dx, dy, dz, rate, tl, safe, te, ge, curv, reach_top = arrays
            if j > 1:  # rays blocked nearer are dropped after the first step, as the plain march drops them
                safe[tl <= prev] = np.inf
            if j % 4 == 1:  # now and then, leave out the rays that are done (safe = inf)
                keep = np.flatnonzero(safe < np.inf)
                if len(keep) < len(safe):
                    arrays = [a[keep] for a in arrays]
                    live, ox, oy, oz, dx, dy, dz, rate, tl, safe, te, ge, curv, reach_top = arrays
                if len(live) == 0:
                    break
            e = np.flatnonzero(safe <= t)  # the rays that might be below at this step
            if len(e) == 0:
                continue
            py = oy[e] + t * dy[e]
            gap = py - self._height1(ox[e] + t * dx[e], oz[e] + t * dz[e])
            below = gap < 0
            if below.any():
                b = e[below]  # crossed between prev and t: bisected below, all at once
                crossed.append((live[b], np.full(len(b), prev), np.full(len(b), t), ox[b], oy[b], oz[b],
                                dx[b], dy[b], dz[b], rate[b], te[b], ge[b], gap[below], curv[b]))
                safe[b] = np.inf  # done
            a = e[~below]
            g = gap[~below]
            te[a], ge[a] = t, g
            with np.errstate(divide='ignore', invalid='ignore'):
                nxt = np.where(rate[a] > 0, t + (g - margin) / rate[a], np.inf)
            nxt = np.where(g > margin, nxt, t)
            band = np.where(dy[a] < 0, reach_top[a], np.where(py[~below] > top, np.inf, -np.inf))
            safe[a] = np.maximum(nxt, band)
        if crossed:
            cols = [np.concatenate(c) for c in zip(*crossed)]
            t_out[cols[0]] = self._bisect(*cols[1:], margin)
        return t_out

    def _curvature(self, dx, dz):
        """Half the largest size of the gap's second derivative along each ray (per unit of t squared):
        the height is sum_k amp_k sin(w_k . x + phase_k), so along x = o + t d its second derivative
        is at most sum_k |amp_k| (w_k . d_xz)^2 (inflated a little against rounding)."""
        curv = np.zeros(len(dx))
        for k in range(len(self.amp)):
            curv += np.abs(self.amp[k]) * (self.w[k, 0] * dx + self.w[k, 1] * dz) ** 2
        return curv * (0.5 * (1 + 1e-9))

    def _bisect(self, lo, hi, ox, oy, oz, dx, dy, dz, rate, te, ge, gb, curv, margin):
        """Six halvings of [lo, hi] (the ray is below the surface at hi with gap gb < 0, and was `ge`
        above it at te <= lo): the same midpoints and the same outcome as testing every midpoint, but a
        midpoint whose side is settled by bounds is not tested. Along the ray the gap changes by at most
        `rate` per unit of t, so it is above ge - (mid - te) rate and below gb + (tb - mid) rate; and its
        second derivative is at most curv = sum_k |amp_k| (w_k . d_xz)^2 in size, so it lies within
        curv/2 (mid - te)(tb - mid) of the straight line through the two points last tested."""
        tb = hi.copy()
        for _ in range(6):
            mid = 0.5 * (lo + hi)
            line = ge + (mid - te) * ((gb - ge) / (tb - te))
            err = curv * (mid - te) * (tb - mid) + margin
            above = (ge - (mid - te) * rate > margin) | (line > err)
            below = (gb + (tb - mid) * rate < -margin) | (line < -err)
            m = below
            ev = np.flatnonzero(~(above | below))
            if len(ev):
                mv = mid[ev]
                g = (oy[ev] + mv * dy[ev]) - self._height1(ox[ev] + mv * dx[ev], oz[ev] + mv * dz[ev])
                m[ev] = g < 0
                up, dn = ev[g >= 0], ev[g < 0]
                te[up], ge[up] = mv[g >= 0], g[g >= 0]
                tb[dn], gb[dn] = mv[g < 0], g[g < 0]
            hi = np.where(m, mid, hi)
            lo = np.where(m, lo, mid)
        return hi

    def surface(self, p, d):
        gx, gz = self.grad(p[:, 0], p[:, 2])
        n = np.stack([-gx, np.ones_like(gx), -gz], 1)
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        return n, p[:, [0, 2]].copy()
