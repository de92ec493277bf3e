"""Procedural worlds. Each builder returns a Scene (primitives, materials, light, sky, fog) and a
camera sampler that proposes poses with the statistics of real photographs of that kind of place.

Kinds:
  nature    terrain with hills, trees (trunk + canopy, round or conifer), rocks, bushes, water, far mountains
  forest    the same, dense, camera often looking up into canopies
  street    road, sidewalks, facades with windows, cars, lamps, street trees; camera 1.4-1.8 m (sometimes higher)
  room      walls, floor, ceiling, windows (outside visible), door, paintings, rug, furniture, clutter
  tabletop  close-ups seen from above: a table or the ground with small objects
Far kinds (FAR_KINDS; drawn only for training seeds, see generate.scene_samples' far_share, so the
held-out splits, whose kinds come from KINDS, stay as they were):
  lake      a bank by a lake or the sea: water to a far shore (treeline, hills) at 50-500 m, or to the horizon
  plain     open flat land with a few trees, far hills and mountains at 100-2000 m
"""
import numpy as np

from .primitives import Box, Cylinder, Ellipsoid, Plane, Terrain
from .textures import _value_noise

KINDS = ['nature', 'forest', 'street', 'room', 'tabletop']
KIND_WEIGHTS = [0.17, 0.13, 0.22, 0.3, 0.18]
FAR_KINDS = ['lake', 'plain']
# Share of nature, forest and street scenes whose sky is a photograph (sky_photos.py) instead of the
# procedural gradient + noise clouds: real skies taught to a model that only knew the procedural one.
PHOTO_SKY_P = 0.5
SKY_GAIN_SUN, SKY_GAIN_DIM = (0.3, 0.8), (0.12, 0.35)


def side_rng(rng, salt):
    """A generator seeded from `rng`'s current state without drawing from it: choices made with it
    (the photographic sky) leave every other draw of the scene, and so its geometry, as it was."""
    st = rng.bit_generator.state['state']
    return np.random.default_rng(np.random.SeedSequence([st['state'], st['inc'], salt]))


class Scene:
    def __init__(self, rng, bank):
        self.rng, self.bank = rng, bank
        self.prims, self.materials = [], []
        self.lamp = None
        self.clouds = None
        self.sky_photo = None  # when the sky is a photograph: dict(img, e_top, period, az0, top, top_row, name)
        self.cloud_cover = 0.5
        self.fog_density = 0.0
        self.fog_colour = np.ones(3) * 0.7
        self.exposure = 0.2
        self.obstacles = []  # (x0, x1, z0, z1, top): footprints the camera must not be inside

    def material(self, kind='any', scale=1.0, tint=None, photo_p=0.3, mirror=0.0):
        """A material of the given texture kind, or (with probability photo_p) a crop of a photograph."""
        rng = self.rng
        use = 'photo' if rng.random() < photo_p else kind
        tint = np.ones(3) * rng.uniform(0.7, 1.2) * rng.uniform(0.85, 1.15, 3) if tint is None else np.asarray(tint)
        m = dict(tex=self.bank.pick(rng, use), scale=scale * rng.uniform(0.6, 1.6), tint=tint, mirror=mirror)
        self.materials.append(m)
        return len(self.materials) - 1

    def add(self, prim, obstacle=False):
        self.prims.append(prim)
        if obstacle:
            c = prim.bound[0]
            r = prim.rad if isinstance(prim, Cylinder) else max(prim.r[0], prim.r[2])
            self.obstacles.append((c[0] - r, c[0] + r, c[2] - r, c[2] + r))
        return prim

    def add_box(self, c, h, yaw, mat, obstacle=False, **kw):
        b = Box(c, h, yaw, mat, **kw)
        self.prims.append(b)
        if obstacle:
            rr = np.hypot(h[0], h[2])
            self.obstacles.append((c[0] - rr, c[0] + rr, c[2] - rr, c[2] + rr))
        return b

    def free(self, x, z, margin=0.25):
        return all(not (x0 - margin < x < x1 + margin and z0 - margin < z < z1 + margin)
                   for x0, x1, z0, z1 in self.obstacles)

    # --- light and sky -------------------------------------------------------------------------
    def outdoor_light(self, overcast_p=0.25, photo_sky_p=0.0):
        rng = self.rng
        side = side_rng(rng, 0x5C1)  # taken before any draw, so it differs per scene like the rest
        el = np.radians(rng.uniform(4, 75))
        az = rng.uniform(0, 2 * np.pi)
        self.sun_dir = np.array([np.cos(el) * np.sin(az), np.sin(el), np.cos(el) * np.cos(az)])
        warm = np.clip(1 - el / np.radians(30), 0, 1)
        sun = np.array([1.0, 0.95, 0.88]) * (1 - warm) + np.array([1.0, 0.6, 0.3]) * warm
        overcast = rng.random() < overcast_p
        self.sun_colour = sun * rng.uniform(2.0, 3.5) * (0.15 if overcast else 1.0)
        self.zenith = np.array([0.15, 0.3, 0.75]) * rng.uniform(0.6, 1.3)
        self.horizon = np.array([0.6, 0.7, 0.85]) * rng.uniform(0.7, 1.2) + warm * np.array([0.3, 0.1, -0.1])
        if overcast:
            g = rng.uniform(0.5, 0.9)
            self.zenith = self.horizon = np.array([g, g, g * 1.05])
        self.ambient = (self.zenith + self.horizon) * rng.uniform(0.3, 0.6)
        if rng.random() < 0.6:
            self.clouds = _value_noise(rng, 5, 4)
            self.cloud_cover = rng.uniform(0.35, 0.75)
        if rng.random() < 0.5:
            self.fog_density = np.exp(rng.uniform(np.log(2e-4), np.log(3e-2)))
            self.fog_colour = self.horizon * rng.uniform(0.8, 1.1)
        self.exposure = rng.uniform(0.12, 0.3)
        if len(self.bank.sky_train) and side.random() < photo_sky_p:
            self.photo_sky(side)

    def photo_sky(self, rng, index=None):
        """Replace the procedural sky by one of the bank's sky photos on the dome: azimuth -> photo x
        (repeated a whole number of times around the horizon, its ends cross-faded so the dome has no
        seam), elevation -> photo y from its horizon up to e_top, above which it fades to its top colour
        (the zenith); see render.photo_sky_colour. The horizon, zenith and fog colours and the hue of
        the sky light are the photo's, its brightness is tied to the procedural sky drawn for this scene,
        so surfaces are lit consistently; photos without direct sun get the dim overcast sun. The sun's
        direction is the scene's, not the photo's. `rng` is the side generator; `index` picks a photo."""
        b = self.bank
        i = int(rng.choice(b.sky_train)) if index is None else index
        lum = np.array([0.2126, 0.7152, 0.0722])
        # brightness: the photo's mean brightest channel is set to that of this scene's procedural sky
        # times a factor; lower for photos without sun, whose sky would otherwise be far brighter than
        # the dimly lit ground and burn out to white (tuned by the share of clipped sky pixels)
        sky_max = float(np.max((self.zenith + self.horizon) / 2))
        k = sky_max * rng.uniform(*(SKY_GAIN_SUN if b.sky_sun[i] else SKY_GAIN_DIM)) / max(float(b.sky_max[i]), 1e-3)
        k = (k * rng.uniform(0.9, 1.1, 3)).astype(np.float32)  # white balance: 7 photos should look like more
        # scale: the photo's sky spans `natural` degrees of elevation in a photo of 45-70 deg vertical FoV;
        # its width keeps that scale; it is stretched upwards (at most 2x: more smears the clouds into
        # streaks) towards 28-40 deg so a camera looking up sees the photo, not only the zenith colour
        natural = np.radians(b.sky_frac[i] * rng.uniform(45, 70))
        e_top = max(natural, min(2 * natural, np.radians(rng.uniform(28, 40))))
        n = max(1, int(round(2 * np.pi / (natural * b.sky_aspect[i]))))  # whole copies around the horizon
        img = b.sky[i][:, ::-1] if rng.random() < 0.5 else b.sky[i]
        # above e_top each column continues as the photo's top row blurred along x, fading to the top colour
        w = img.shape[1]
        pad = np.concatenate([img[0, -w // 16:], img[0], img[0, :w // 16]])
        c = np.concatenate([np.zeros((1, 3), np.float32), np.cumsum(pad, 0)])
        top_row = (c[w // 8:w // 8 + w] - c[:w]) / (w // 8)
        self.sky_photo = dict(img=img * k, e_top=e_top, period=2 * np.pi / n, az0=rng.uniform(0, 2 * np.pi),
                              top=b.sky_top[i] * k, top_row=top_row * k, name=b.sky_names[i])
        self.clouds = None
        self.zenith, self.horizon = b.sky_top[i] * k, b.sky_bottom[i] * k
        # the sky light keeps the procedural sky's strength (so the sky's brightness against the ground is
        # set by k alone) and takes the photo's hue, mildly
        mean = b.sky_top[i] + b.sky_bottom[i]
        self.ambient = float(self.ambient @ lum) * np.clip(mean / max(float(mean @ lum), 1e-3), 0.3, 3) ** 0.5
        # a sunset photo (horizon redder than blue) warms the sun; a blue sky leaves it as it was (sunlight
        # is not blue: the blue of the sky is what scattering took out of it)
        hb = b.sky_bottom[i]
        tint = np.clip(hb / max(float(hb @ lum), 1e-3), 0.3, 3) ** 0.5 if hb[0] > hb[2] else np.ones(3)
        base = self.sun_colour / max(float(self.sun_colour @ lum), 1e-6) * rng.uniform(2.0, 3.5)
        self.sun_colour = base * tint * (1.0 if b.sky_sun[i] else 0.15)
        if self.fog_density > 0:
            self.fog_colour = self.horizon * rng.uniform(0.8, 1.1)

    def indoor_light(self, room_h):
        rng = self.rng
        self.outdoor_light(overcast_p=0.3)
        self.ambient = np.ones(3) * rng.uniform(0.15, 0.6) * rng.uniform(0.8, 1.2, 3)
        if rng.random() < 0.8:
            self.lamp = (np.array([rng.uniform(-1, 1), room_h - 0.3, rng.uniform(-1, 1)]),
                         np.array([1.0, 0.85, 0.65]) * rng.uniform(1, 6))
        self.fog_density = 0.0


# --- reusable objects ------------------------------------------------------------------------------
def tree(s, x, z, y0, conifer=False, scale=1.0):
    rng = s.rng
    h = rng.uniform(1.5, 5) * scale
    r = rng.uniform(0.08, 0.35) * scale
    bark = s.material(rng.choice(['rock', 'planks', 'noise']), 0.8, tint=np.array([0.5, 0.38, 0.28]) * rng.uniform(0.5, 1.2))
    leaves = s.material('foliage', rng.uniform(0.5, 2.0), photo_p=0.25)
    s.add(Cylinder(x, z, y0 - 0.3, y0 + h, r, bark), obstacle=True)
    if conifer:
        n = rng.integers(3, 6)
        w = rng.uniform(1.2, 2.5) * scale
        for i in range(n):
            f = 1 - i / n
            s.add(Ellipsoid([x, y0 + h * 0.4 + i * h * 0.35, z], [w * f, h * 0.3, w * f], 0, leaves, bumpy=0.5))
    else:
        for _ in range(rng.integers(1, 4)):
            cr = rng.uniform(1.0, 3.2) * scale
            s.add(Ellipsoid([x + rng.normal(0, cr * 0.3), y0 + h + cr * rng.uniform(0.2, 0.7), z + rng.normal(0, cr * 0.3)],
                            [cr, cr * rng.uniform(0.6, 1.0), cr * rng.uniform(0.8, 1.2)], rng.uniform(0, 6), leaves, bumpy=0.5))


def rock(s, x, z, y0, size):
    rng = s.rng
    m = s.material('rock', size * 2, photo_p=0.2)
    r = np.array([size, size * rng.uniform(0.3, 0.8), size * rng.uniform(0.6, 1.2)])
    s.add(Ellipsoid([x, y0 + r[1] * rng.uniform(-0.3, 0.3), z], r, rng.uniform(0, 6), m, bumpy=0.4))


def car(s, x, z, yaw):
    rng = s.rng
    paint = s.material('noise', 5.0, tint=rng.uniform(0.1, 1.0, 3), photo_p=0.0, mirror=0.3)
    glass = s.material('water', 1.0, tint=np.ones(3) * 0.3, photo_p=0.0, mirror=0.5)
    L, W = rng.uniform(3.6, 4.8), rng.uniform(1.6, 1.9)
    s.add_box([x, 0.65, z], [W / 2, 0.35, L / 2], yaw, paint, obstacle=True)
    s.add_box([x, 1.2, z - 0.1 * L * np.cos(yaw)], [W / 2 - 0.08, 0.25, L * 0.28], yaw, glass)
    for dx in (-1, 1):
        for dz in (-1, 1):
            c, sn = np.cos(yaw), np.sin(yaw)
            lx, lz = dx * W / 2 * 0.9, dz * L / 2 * 0.65
            s.add(Ellipsoid([x + c * lx + sn * lz, 0.32, z - sn * lx + c * lz], [0.12, 0.32, 0.32], yaw, s.material('asphalt', 1, photo_p=0)))


def table(s, x, z, yaw, w, d, h, mat):
    s.add_box([x, h - 0.02, z], [w / 2, 0.02, d / 2], yaw, mat, obstacle=True)
    c, sn = np.cos(yaw), np.sin(yaw)
    for dx in (-1, 1):
        for dz in (-1, 1):
            lx, lz = dx * (w / 2 - 0.06), dz * (d / 2 - 0.06)
            s.add_box([x + c * lx + sn * lz, (h - 0.04) / 2, z - sn * lx + c * lz], [0.025, (h - 0.04) / 2, 0.025], yaw, mat)


def clutter(s, x0, x1, z0, z1, y0, n, size=(0.03, 0.2)):
    """Small objects resting on a horizontal surface at height y0."""
    rng = s.rng
    for _ in range(n):
        x, z = rng.uniform(min(x0, x1), max(x0, x1)), rng.uniform(min(z0, z1), max(z0, z1))
        r = rng.uniform(*size)
        m = s.material('any', r * rng.uniform(2, 8), photo_p=0.4)
        k = rng.integers(4)
        if k == 0:
            hh = r * rng.uniform(0.3, 1.2)
            s.add_box([x, y0 + hh, z], [r, hh, r * rng.uniform(0.5, 1.5)], rng.uniform(0, 6), m)
        elif k == 1:
            s.add(Ellipsoid([x, y0 + r * 0.95, z], [r, r, r], 0, m))
        elif k == 2:
            s.add(Cylinder(x, z, y0, y0 + r * rng.uniform(1, 3), r * rng.uniform(0.4, 0.9), m))
        else:  # a book / flat box
            s.add_box([x, y0 + r * 0.15, z], [r, r * 0.15, r * 1.4], rng.uniform(0, 6), m)


def scatter(rng, terrain, n, spread, clear):
    """Up to n spots (x, z, ground height) drawn uniformly over the square +-spread around the camera's
    spot (the origin), less those within `clear` metres of it. A generator: each spot's draw comes just
    before whatever the caller draws for it, the order the pinned scenes (test_pinned.py) were made in."""
    for _ in range(n):
        x, z = rng.uniform(-spread, spread, 2)
        if np.hypot(x, z) >= clear:
            yield x, z, terrain.height(np.array([x]), np.array([z]))[0]


def terrain_camera(s, terrain, aim):
    """A camera standing 1.2-2 m above the terrain: the first view at the origin, turned by aim(rng) ->
    (yaw, pitch); the others nudged from a base view (0.7 m, 0.3 rad of yaw, 0.1 of pitch); None when
    the spot is inside an obstacle."""
    def camera(rng, base=None):
        if base is None:
            x = z = 0.0
            yaw, pitch = aim(rng)
        else:
            (x, _, z), yaw, pitch = base[0], base[1], base[2]
            x, z = x + rng.normal(0, 0.7), z + rng.normal(0, 0.7)
            yaw, pitch = yaw + rng.normal(0, 0.3), pitch + rng.normal(0, 0.1)
        if not s.free(x, z, 0.3):
            return None
        y = terrain.height(np.array([x]), np.array([z]))[0] + rng.uniform(1.2, 2.0)
        return np.array([x, y, z]), yaw, pitch
    return camera


# --- builders ---------------------------------------------------------------------------------------
def build_nature(s, forest=False):
    rng = s.rng
    s.outdoor_light(photo_sky_p=PHOTO_SKY_P)
    ground = s.material(rng.choice(['grass', 'grass', 'rock', 'noise']), rng.uniform(1, 6), photo_p=0.35)
    terrain = Terrain(rng, rng.uniform(0.5, 10) * (0.5 if forest else 1), ground)
    s.add(terrain)
    s.terrain = terrain
    if rng.random() < 0.3 and not forest:
        s.add(Plane([0, rng.uniform(-2.5, -0.4), 0], [0, 1, 0], s.material('water', 3, photo_p=0.1, mirror=0.6)))
    n_trees = rng.integers(40, 120) if forest else rng.integers(0, 40)
    spread = 30 if forest else 90
    conifer_p = rng.random()
    for x, z, y in scatter(rng, terrain, n_trees, spread, 2.0):
        tree(s, x, z, y, rng.random() < conifer_p, rng.uniform(0.7, 2.0))
    for x, z, y in scatter(rng, terrain, rng.integers(0, 25), 30, 1.0):
        rock(s, x, z, y, rng.uniform(0.1, 2.0))
    for x, z, y in scatter(rng, terrain, rng.integers(0, 20), 25, 1.5):  # bushes
        r = rng.uniform(0.3, 1.2)
        s.add(Ellipsoid([x, y + r * 0.5, z], [r, r * 0.7, r], 0, s.material('foliage', 1.0, photo_p=0.2), bumpy=0.5))
    if rng.random() < 0.5:  # far mountains
        for _ in range(rng.integers(1, 4)):
            a, dist = rng.uniform(0, 2 * np.pi), rng.uniform(150, 350)
            r = rng.uniform(60, 200)
            s.add(Ellipsoid([dist * np.sin(a), -r * 0.5, dist * np.cos(a)], [r, r * rng.uniform(0.4, 0.9), r], 0,
                            s.material('rock', 50, photo_p=0.4)))

    def aim(rng):
        yaw = rng.uniform(0, 2 * np.pi)
        return yaw, np.radians(rng.uniform(-5, 60) if forest and rng.random() < 0.4 else rng.uniform(-25, 15))
    return terrain_camera(s, terrain, aim)


def build_street(s):
    rng = s.rng
    s.outdoor_light(photo_sky_p=PHOTO_SKY_P)
    road_w = rng.uniform(5, 14)
    walk_w = rng.uniform(1.5, 5)
    s.add(Plane([0, 0, 0], [0, 1, 0], s.material('asphalt', rng.uniform(3, 8), photo_p=0.1)))
    walk = s.material(rng.choice(['tiles', 'bricks', 'asphalt']), rng.uniform(0.5, 3), photo_p=0.15)
    for side in (-1, 1):
        s.add_box([side * (road_w / 2 + walk_w / 2), 0.0, 0], [walk_w / 2, 0.15, 200], 0, walk)
        z = -150.0
        while z < 150:
            w = rng.uniform(6, 25)
            h = rng.uniform(4, 45) if rng.random() < 0.7 else rng.uniform(3, 9)
            dpt = rng.uniform(8, 20)
            setback = road_w / 2 + walk_w + rng.uniform(0, 1.0)
            fac = s.material('facade', 1.0, photo_p=0.2)
            s.materials[fac]['scale'] = rng.uniform(2.8, 4.0)  # one texture tile = one floor
            s.add_box([side * (setback + dpt / 2), h / 2, z + w / 2], [dpt / 2, h / 2, w / 2 - 0.05], 0, fac)
            if rng.random() < 0.3:  # a shop front / awning
                s.add_box([side * (setback - 0.6), 3.0, z + w / 2], [0.6, 0.05, w / 2 * 0.8], 0, s.material('stripes', 2, photo_p=0.1))
            z += w + (rng.uniform(0, 6) if rng.random() < 0.3 else 0)
    for _ in range(rng.integers(0, 14)):
        lane = rng.uniform(-road_w / 2 + 1.2, road_w / 2 - 1.2)
        car(s, lane, rng.uniform(-60, 60), rng.choice([0, np.pi]) + rng.normal(0, 0.05))
    for _ in range(rng.integers(0, 12)):  # lamps and trees on the sidewalks
        side = rng.choice([-1, 1])
        x, z = side * (road_w / 2 + rng.uniform(0.4, 1.0)), rng.uniform(-70, 70)
        if rng.random() < 0.5:
            s.add(Cylinder(x, z, 0, rng.uniform(3.5, 7), 0.07, s.material('noise', 1, tint=np.ones(3) * 0.3, photo_p=0)), obstacle=True)
        else:
            tree(s, x, z, 0.15, False, rng.uniform(0.6, 1.2))
    for _ in range(rng.integers(0, 8)):  # bins, bollards, boxes
        side = rng.choice([-1, 1])
        clutter(s, side * (road_w / 2 + 0.3), side * (road_w / 2 + walk_w - 0.3), -30, 30, 0.15, 1, (0.2, 0.6))

    def camera(rng, base=None):
        if base is None:
            x = rng.uniform(-road_w / 2 - walk_w + 0.5, road_w / 2 + walk_w - 0.5)
            z = rng.uniform(-20, 20)
            y = rng.uniform(1.4, 1.8) if rng.random() < 0.85 else rng.uniform(3, 12)
            yaw = rng.choice([0, np.pi]) + rng.normal(0, 0.5) if rng.random() < 0.7 else rng.uniform(0, 2 * np.pi)
            pitch = np.radians(rng.uniform(-15, 35) if y < 2 else rng.uniform(-40, 5))
        else:
            (x, y, z), yaw, pitch = base[0], base[1], base[2]
            x, z = x + rng.normal(0, 0.6), z + rng.normal(0, 1.0)
            yaw, pitch = yaw + rng.normal(0, 0.3), pitch + rng.normal(0, 0.1)
        if not s.free(x, z, 0.3) or abs(x) > road_w / 2 + walk_w - 0.2:
            return None
        if abs(x) > road_w / 2 and y < 2:
            y += 0.15
        return np.array([x, y, z]), yaw, pitch
    return camera


def build_room(s, tabletop=False):
    rng = s.rng
    W, D, H = rng.uniform(2.8, 8), rng.uniform(2.8, 8), rng.uniform(2.3, 3.4)
    s.indoor_light(H)
    wall = s.material(rng.choice(['noise', 'bricks', 'stripes', 'tiles', 'planks']), rng.uniform(0.5, 3), photo_p=0.25)
    s.materials[wall]['tint'] = s.materials[wall]['tint'] * 0.3 + 0.7 * rng.uniform(0.6, 1.1)
    holes = []
    for _ in range(rng.integers(0, 4)):  # windows: holes through which the outside is seen
        face = int(rng.choice([0, 1, 4, 5]))
        span = (D if face < 2 else W) / 2
        ww = rng.uniform(0.6, 2.0)
        u0 = rng.uniform(-span + 0.2, span - ww - 0.2)
        v0 = rng.uniform(-H / 2 + 0.6, -H / 2 + 1.1)
        holes.append((face, u0, u0 + ww, v0, v0 + rng.uniform(0.8, H - 1.2)))
    s.add_box([0, H / 2, 0], [W / 2, H / 2, D / 2], 0, wall, inside=True, holes=holes)
    s.add_box([0, 0.005, 0], [W / 2, 0.005, D / 2], 0, s.material(rng.choice(['planks', 'tiles', 'fabric', 'noise']), rng.uniform(0.5, 3), photo_p=0.2))
    s.add_box([0, H - 0.005, 0], [W / 2, 0.005, D / 2], 0, s.material('noise', 2, tint=np.ones(3) * rng.uniform(0.7, 1.0), photo_p=0.05))
    # outside, seen through the windows
    s.add(Plane([0, -0.02, 0], [0, 1, 0], s.material(rng.choice(['grass', 'asphalt']), 4, photo_p=0.3)))
    for _ in range(rng.integers(0, 6)):
        a, dist = rng.uniform(0, 2 * np.pi), rng.uniform(8, 40)
        if rng.random() < 0.5:
            tree(s, dist * np.sin(a), dist * np.cos(a), 0, rng.random() < 0.3)
        else:
            hh = rng.uniform(4, 25)
            s.add_box([dist * np.sin(a) * 1.5, hh / 2, dist * np.cos(a) * 1.5], [5, hh / 2, 5], a, s.material('facade', 3.5, photo_p=0.2))
    # door, paintings, rug
    for _ in range(rng.integers(0, 2)):
        face = rng.integers(4)
        pos = rng.uniform(-1, 1)
        if face < 2:
            s.add_box([(W / 2 - 0.02) * (1 - 2 * face), 1.02, pos * (D / 2 - 0.6)], [0.03, 1.02, 0.45], 0, s.material('planks', 1.5, photo_p=0.1))
        else:
            s.add_box([pos * (W / 2 - 0.6), 1.02, (D / 2 - 0.02) * (1 - 2 * (face - 2))], [0.45, 1.02, 0.03], 0, s.material('planks', 1.5, photo_p=0.1))
    for _ in range(rng.integers(0, 4)):
        face = rng.integers(4)
        pw, ph = rng.uniform(0.3, 1.2), rng.uniform(0.3, 0.9)
        pic = s.material('photo', 1, photo_p=1.0)
        s.materials[pic]['scale'] = max(pw, ph) * 2
        y = rng.uniform(1.3, H - 0.6)
        if face < 2:
            s.add_box([(W / 2 - 0.02) * (1 - 2 * face), y, rng.uniform(-D / 2 + pw, D / 2 - pw)], [0.02, ph / 2, pw / 2], 0, pic)
        else:
            s.add_box([rng.uniform(-W / 2 + pw, W / 2 - pw), y, (D / 2 - 0.02) * (1 - 2 * (face - 2))], [pw / 2, ph / 2, 0.02], 0, pic)
    if rng.random() < 0.5:
        s.add_box([rng.uniform(-0.5, 0.5), 0.012, rng.uniform(-0.5, 0.5)], [rng.uniform(0.6, 1.5), 0.004, rng.uniform(0.5, 1.2)], rng.uniform(0, 0.3), s.material('fabric', 2, photo_p=0.5))
    # furniture
    wood = s.material(rng.choice(['planks', 'noise']), 1.0, photo_p=0.15)
    tables = []

    def spot(margin):
        for _ in range(20):
            x, z = rng.uniform(-W / 2 + margin, W / 2 - margin), rng.uniform(-D / 2 + margin, D / 2 - margin)
            if s.free(x, z, margin * 0.7):
                return x, z
        return None
    n_items = rng.integers(2, 10) if not tabletop else rng.integers(0, 3)
    if tabletop:
        tw, td = rng.uniform(1.0, 2.0), rng.uniform(0.7, 1.2)
        th = rng.uniform(0.45, 0.9)
        table(s, 0, 0, 0, tw, td, th, s.material(rng.choice(['planks', 'noise', 'tiles', 'fabric']), rng.uniform(0.3, 2), photo_p=0.35))
        tables.append((0, 0, tw, td, th))
    for _ in range(n_items):
        k = rng.choice(['table', 'chair', 'shelf', 'bed', 'sofa', 'box', 'lamp', 'cabinet'])
        sp = spot(0.7)
        if sp is None:
            break
        x, z = sp
        yaw = rng.choice([0, np.pi / 2]) + rng.normal(0, 0.2)
        if k == 'table':
            w, d, h = rng.uniform(0.8, 2), rng.uniform(0.6, 1.0), rng.uniform(0.7, 0.78)
            table(s, x, z, yaw, w, d, h, wood)
            tables.append((x, z, w * 0.6, d * 0.6, h))
        elif k == 'chair':
            m = s.material(rng.choice(['planks', 'fabric', 'noise']), 1, photo_p=0.1)
            table(s, x, z, yaw, 0.45, 0.45, 0.46, m)
            c, sn = np.cos(yaw), np.sin(yaw)
            s.add_box([x + sn * 0.21, 0.7, z + c * 0.21], [0.22, 0.25, 0.02], yaw, m)
        elif k in ('shelf', 'cabinet'):
            h = rng.uniform(0.8, 2.2) if k == 'shelf' else rng.uniform(0.5, 1.0)
            w = rng.uniform(0.6, 1.6)
            books = s.material('books' if k == 'shelf' else 'planks', h / rng.integers(2, 6), photo_p=0.1)
            s.add_box([x, h / 2, z], [w / 2, h / 2, 0.18], yaw, books, obstacle=True)
            if k == 'cabinet':
                clutter(s, x - 0.2, x + 0.2, z - 0.1, z + 0.1, h, rng.integers(0, 4))
        elif k == 'bed':
            w, l = rng.uniform(0.9, 1.8), rng.uniform(1.9, 2.1)
            s.add_box([x, 0.22, z], [w / 2, 0.22, l / 2], yaw, wood, obstacle=True)
            s.add_box([x, 0.5, z], [w / 2 - 0.02, 0.08, l / 2 - 0.02], yaw, s.material('fabric', 1, photo_p=0.3))
            c, sn = np.cos(yaw), np.sin(yaw)
            s.add(Ellipsoid([x - sn * (l / 2 - 0.3), 0.64, z - c * (l / 2 - 0.3)], [w / 2 - 0.1, 0.08, 0.2], yaw, s.material('fabric', 1, photo_p=0.1)))
        elif k == 'sofa':
            m = s.material('fabric', 1, photo_p=0.2)
            w = rng.uniform(1.4, 2.4)
            s.add_box([x, 0.22, z], [w / 2, 0.22, 0.45], yaw, m, obstacle=True)
            c, sn = np.cos(yaw), np.sin(yaw)
            s.add_box([x + sn * 0.38, 0.6, z + c * 0.38], [w / 2, 0.3, 0.1], yaw, m)
        elif k == 'box':
            hh = rng.uniform(0.1, 0.4)
            s.add_box([x, hh, z], [rng.uniform(0.1, 0.4), hh, rng.uniform(0.1, 0.4)], rng.uniform(0, 6), s.material('any', 0.5, photo_p=0.4), obstacle=True)
        elif k == 'lamp':
            h = rng.uniform(1.2, 1.8)
            s.add(Cylinder(x, z, 0, h, 0.02, s.material('noise', 1, tint=np.ones(3) * 0.3, photo_p=0)), obstacle=True)
            s.add(Cylinder(x, z, h - 0.1, h + 0.2, rng.uniform(0.15, 0.25), s.material('fabric', 1, tint=np.ones(3) * 1.2, photo_p=0)))
    for (x, z, w, d, h) in tables:
        clutter(s, x - w / 2 + 0.05, x + w / 2 - 0.05, z - d / 2 + 0.05, z + d / 2 - 0.05, h,
                rng.integers(4, 20) if tabletop else rng.integers(0, 6))
    clutter(s, -W / 2 + 0.3, W / 2 - 0.3, -D / 2 + 0.3, D / 2 - 0.3, 0.01, rng.integers(0, 5), (0.05, 0.3))

    def camera(rng, base=None):
        if tabletop:
            if base is None:
                x, z = rng.normal(0, 0.2, 2)
                y = tables[0][4] + rng.uniform(0.25, 0.9)
                yaw = rng.uniform(0, 2 * np.pi)
                pitch = -np.radians(rng.uniform(35, 88))
            else:
                (x, y, z), yaw, pitch = base[0], base[1], base[2]
                x, z, y = x + rng.normal(0, 0.12), z + rng.normal(0, 0.12), y + rng.normal(0, 0.05)
                yaw, pitch = yaw + rng.normal(0, 0.25), np.clip(pitch + rng.normal(0, 0.1), -1.55, -0.3)
            return np.array([x, y, z]), yaw, pitch
        if base is None:
            x, z = rng.uniform(-W / 2 + 0.3, W / 2 - 0.3), rng.uniform(-D / 2 + 0.3, D / 2 - 0.3)
            y = rng.uniform(1.0, 1.8)
            yaw = rng.uniform(0, 2 * np.pi)
            pitch = np.radians(rng.uniform(-35, 10))
        else:
            (x, y, z), yaw, pitch = base[0], base[1], base[2]
            x, z = x + rng.normal(0, 0.4), z + rng.normal(0, 0.4)
            yaw, pitch = yaw + rng.normal(0, 0.35), pitch + rng.normal(0, 0.1)
        if not (abs(x) < W / 2 - 0.25 and abs(z) < D / 2 - 0.25 and s.free(x, z, 0.2)):
            return None
        return np.array([x, y, z]), yaw, pitch
    return camera


def build_ground_closeup(s):
    """Close-up of the ground outdoors seen from above: pebbles, rocks, leaves, small plants."""
    rng = s.rng
    s.outdoor_light()
    terrain = Terrain(rng, rng.uniform(0.05, 0.6), s.material(rng.choice(['grass', 'rock', 'noise']), rng.uniform(0.3, 2), photo_p=0.4))
    s.add(terrain)
    for _ in range(rng.integers(5, 40)):
        x, z = rng.uniform(-3, 3, 2)
        y0 = terrain.height(np.array([x]), np.array([z]))[0]
        if rng.random() < 0.6:
            rock(s, x, z, y0, rng.uniform(0.02, 0.3))
        else:
            r = rng.uniform(0.05, 0.4)
            s.add(Ellipsoid([x, y0 + r * 0.3, z], [r, r * 0.5, r], 0, s.material('foliage', 0.5, photo_p=0.2), bumpy=0.5))
    for _ in range(rng.integers(0, 6)):
        a, dist = rng.uniform(0, 2 * np.pi), rng.uniform(4, 30)
        x, z = dist * np.sin(a), dist * np.cos(a)
        tree(s, x, z, terrain.height(np.array([x]), np.array([z]))[0], rng.random() < 0.4)

    def camera(rng, base=None):
        if base is None:
            x = z = 0.0
            yaw = rng.uniform(0, 2 * np.pi)
            pitch = -np.radians(rng.uniform(35, 88))
            hgt = rng.uniform(0.4, 1.7)
        else:
            (x, y, z), yaw, pitch = base[0], base[1], base[2]
            hgt = y - terrain.height(np.array([x]), np.array([z]))[0]
            x, z = x + rng.normal(0, 0.2), z + rng.normal(0, 0.2)
            yaw, pitch = yaw + rng.normal(0, 0.25), np.clip(pitch + rng.normal(0, 0.1), -1.55, -0.3)
        y = terrain.height(np.array([x]), np.array([z]))[0] + hgt
        return np.array([x, y, z]), yaw, pitch
    return camera


def direction(yaw):
    """The horizontal unit vector a camera with this yaw looks along (camera.rotation_ypr: yaw 0 looks down -Z)."""
    return np.array([-np.sin(yaw), 0.0, -np.cos(yaw)])


def far_shore(s, yaw0, dist, half_width, water_y):
    """Land across the water at `dist` metres, spanning yaw0 +- half_width: low hills (flattened
    ellipsoids sunk into the water) crowned by a treeline, and sometimes mountains behind. Real lake
    photos put most of their land pixels there, at 50-500 m, which the other kinds rarely reach."""
    rng = s.rng
    land = s.material(rng.choice(['grass', 'rock', 'noise', 'foliage']), rng.uniform(5, 30), photo_p=0.3)
    leaves = s.material('foliage', rng.uniform(3, 10), photo_p=0.25)
    conifer = rng.random() < 0.5
    n = rng.integers(4, 10)
    for a in np.linspace(yaw0 - half_width, yaw0 + half_width, n) + rng.normal(0, 0.05, n):
        d = dist * rng.uniform(0.9, 1.4)
        r = d * rng.uniform(0.15, 0.45)  # horizontal radius: neighbours overlap into one shore
        hgt = rng.uniform(2, 10) + (rng.uniform(5, 0.25 * d) if rng.random() < 0.4 else 0)
        c = np.array([0.0, water_y - hgt * 0.2, 0.0]) + direction(a) * (d + r * 0.6)
        s.add(Ellipsoid(c, [r, hgt * 1.2, r * rng.uniform(0.5, 1.0)], rng.uniform(0, 6), land, bumpy=0.3))
        if rng.random() < 0.8:  # a treeline along this stretch of shore: canopies 5-20 m tall
            for _ in range(rng.integers(3, 9)):
                b = a + rng.uniform(-0.5, 0.5) * (2 * half_width / n)
                p = direction(b) * (d + rng.uniform(0, r * 0.8))
                cr = rng.uniform(3, 8)
                top = water_y + hgt * rng.uniform(0.6, 1.0)
                ry = cr * (rng.uniform(1.5, 3) if conifer else rng.uniform(0.7, 1.1))
                s.add(Ellipsoid([p[0], top + ry * 0.5, p[2]], [cr, ry, cr], 0, leaves, bumpy=0.5))
    far_mountains(s, yaw0, half_width + 0.5, dist * 1.5)


def far_mountains(s, yaw0, half_width, near, p=0.6):
    rng = s.rng
    if rng.random() >= p:
        return
    rock_m = s.material(rng.choice(['rock', 'noise', 'grass']), 80, photo_p=0.4)
    for _ in range(rng.integers(1, 6)):
        a = yaw0 + rng.uniform(-half_width, half_width)
        d = rng.uniform(max(near, 150), 2000)
        r = d * rng.uniform(0.1, 0.35)
        hgt = r * rng.uniform(0.15, 0.6)
        s.add(Ellipsoid(direction(a) * (d + r), [r, hgt, r * rng.uniform(0.6, 1.0)], rng.uniform(0, 6), rock_m, bumpy=0.2))


def far_light(s, sunset_p=0.35):
    """Outdoor light with thin haze only: the other kinds' fog (up to 3e-2 per metre) would hide the far
    land this kind is for; 1e-4..4e-3 still greys it with distance as air does. With probability
    sunset_p a rendered sunset (sun 1-8 degrees up, orange horizon, dim blue zenith): batch-time sky
    replacement cannot recolour what water reflects, so sunset reflections must be rendered; without
    them warm light was only ever sky, and the network called EveningGlow's lit lake sky."""
    rng = s.rng
    s.outdoor_light(photo_sky_p=PHOTO_SKY_P)
    if s.fog_density > 0:
        s.fog_density = np.exp(rng.uniform(np.log(1e-4), np.log(4e-3)))
    if rng.random() < sunset_p:
        s.sky_photo = None
        el, az = np.radians(rng.uniform(1, 8)), rng.uniform(0, 2 * np.pi)
        s.sun_dir = np.array([np.cos(el) * np.sin(az), np.sin(el), np.cos(el) * np.cos(az)])
        s.sun_colour = np.array([1.0, rng.uniform(0.45, 0.65), rng.uniform(0.2, 0.35)]) * rng.uniform(1.5, 3.0)
        s.horizon = np.array([1.0, rng.uniform(0.4, 0.7), rng.uniform(0.12, 0.4)]) * rng.uniform(0.7, 1.2)
        s.zenith = np.array([rng.uniform(0.08, 0.3), rng.uniform(0.1, 0.25), rng.uniform(0.25, 0.6)]) * rng.uniform(0.6, 1.2)
        s.ambient = (s.zenith + s.horizon) * rng.uniform(0.15, 0.4)
        if s.fog_density > 0:
            s.fog_colour = s.horizon * rng.uniform(0.6, 1.0)


def build_lake(s):
    """A bank over water: the camera stands 1.2-2 m above its ground (sometimes on a rise 5-40 m up),
    the water (a mirror-ish plane) runs to a far shore at 50-500 m, or to the horizon (sea)."""
    rng = s.rng
    far_light(s)
    water_y = -rng.uniform(0.3, 2.0)
    s.add(Plane([0, water_y, 0], [0, 1, 0], s.material('water', rng.uniform(3, 20), photo_p=0.1, mirror=rng.uniform(0.3, 0.8))))
    yaw0 = rng.uniform(0, 2 * np.pi)
    # the bank: a wide flattened ellipsoid behind the camera, its front edge a few metres ahead
    rise = rng.uniform(5, 40) if rng.random() < 0.25 else 0.0
    bank_r = rng.uniform(20, 80) + rise * 2
    ahead = rng.uniform(2, 12)
    centre = -direction(yaw0) * (bank_r - ahead)
    bank_h = -water_y + rise
    ground = s.material(rng.choice(['grass', 'grass', 'rock', 'noise']), rng.uniform(1, 6), photo_p=0.35)
    s.add(Ellipsoid([centre[0], 0.0, centre[2]], [bank_r, bank_h, bank_r * rng.uniform(0.8, 1.2)], 0, ground, bumpy=0.2))
    top_y = bank_h * np.sqrt(max(0.0, 1 - ((bank_r - ahead) / bank_r) ** 2))  # ground height at the camera spot
    for _ in range(rng.integers(0, 12)):  # reeds / bushes / rocks along the near bank
        p = direction(yaw0 + rng.uniform(-1.2, 1.2)) * rng.uniform(ahead * 0.5, ahead + 6)
        r = rng.uniform(0.2, 1.2)
        s.add(Ellipsoid([p[0], water_y + r * 0.3, p[2]], [r, r * rng.uniform(0.4, 1.0), r], rng.uniform(0, 6),
                        s.material(rng.choice(['foliage', 'rock']), 1.0, photo_p=0.2), bumpy=0.5))
    sea = rng.random() < 0.25
    dist = np.exp(rng.uniform(np.log(50), np.log(500)))
    if sea:  # open water to the horizon, a headland on one side at most
        if rng.random() < 0.5:
            far_shore(s, yaw0 + rng.choice([-1, 1]) * rng.uniform(0.6, 1.2), dist, 0.3, water_y)
    else:
        far_shore(s, yaw0, dist, rng.uniform(0.8, 1.6), water_y)
    for _ in range(rng.integers(0, 3)):  # islands
        p = direction(yaw0 + rng.uniform(-0.8, 0.8)) * rng.uniform(20, dist * 0.8)
        r = rng.uniform(3, 25)
        s.add(Ellipsoid([p[0], water_y, p[2]], [r, r * rng.uniform(0.2, 0.6), r], rng.uniform(0, 6),
                        s.material('foliage', 3, photo_p=0.3), bumpy=0.5))

    def camera(rng, base=None):
        if base is None:
            x = z = 0.0
            yaw = yaw0 + rng.normal(0, 0.35)
            pitch = np.radians(rng.uniform(-12, 10) - (rise > 0) * rng.uniform(0, 12))
        else:
            (x, _, z), yaw, pitch = base[0], base[1], base[2]
            x, z = x + rng.normal(0, 0.5), z + rng.normal(0, 0.5)
            yaw, pitch = yaw + rng.normal(0, 0.25), pitch + rng.normal(0, 0.08)
        return np.array([x, top_y + rng.uniform(1.2, 2.0), z]), yaw, pitch
    return camera


def build_plain(s):
    """Open land: a gently rolling terrain (with a plane under it, so ground continues past the
    terrain's 400 m march to the horizon), scattered trees and rocks, hills and mountains far off."""
    rng = s.rng
    far_light(s)
    ground = s.material(rng.choice(['grass', 'grass', 'rock', 'noise']), rng.uniform(1, 8), photo_p=0.35)
    terrain = Terrain(rng, rng.uniform(0.3, 4), ground)
    s.add(terrain)
    s.add(Plane([0, terrain.base - np.abs(terrain.amp).sum() - 0.01, 0], [0, 1, 0], ground))
    yaw0 = rng.uniform(0, 2 * np.pi)
    conifer_p = rng.random()
    for _ in range(rng.integers(0, 20)):  # mostly far: a near tree filling the frame is the other kinds' job
        a, d = yaw0 + rng.uniform(-1.5, 1.5), np.exp(rng.uniform(np.log(12), np.log(300)))
        x, z = direction(a)[[0, 2]] * d
        tree(s, x, z, terrain.height(np.array([x]), np.array([z]))[0], rng.random() < conifer_p, rng.uniform(1.0, 3.0))
    for x, z, y in scatter(rng, terrain, rng.integers(0, 10), 40, 2.0):
        rock(s, x, z, y, rng.uniform(0.2, 1.5))
    for _ in range(rng.integers(2, 8)):  # far hills, 100-800 m
        a, d = yaw0 + rng.uniform(-1.8, 1.8), np.exp(rng.uniform(np.log(100), np.log(800)))
        r = d * rng.uniform(0.1, 0.4)
        c = direction(a) * (d + r)
        s.add(Ellipsoid([c[0], terrain.base - r * 0.05, c[2]], [r, r * rng.uniform(0.05, 0.3), r * rng.uniform(0.5, 1)],
                        rng.uniform(0, 6), s.material(rng.choice(['grass', 'foliage', 'rock']), 30, photo_p=0.3), bumpy=0.3))
    far_mountains(s, yaw0, 1.8, 400, p=0.5)

    def aim(rng):
        yaw = yaw0 + rng.normal(0, 0.5)
        return yaw, np.radians(rng.uniform(-15, 10))
    return terrain_camera(s, terrain, aim)


def build(kind, rng, bank):
    s = Scene(rng, bank)
    if kind == 'nature':
        cam = build_nature(s)
    elif kind == 'forest':
        cam = build_nature(s, forest=True)
    elif kind == 'street':
        cam = build_street(s)
    elif kind == 'room':
        cam = build_room(s)
    elif kind == 'tabletop':
        cam = build_room(s, tabletop=True) if rng.random() < 0.65 else build_ground_closeup(s)
    elif kind == 'lake':
        cam = build_lake(s)
    elif kind == 'plain':
        cam = build_plain(s)
    else:
        raise ValueError(f'unknown scene kind {kind}')
    return s, cam
