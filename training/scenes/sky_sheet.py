"""Contact sheets to look at the photographic skies (nothing here is used by training).

  cd training && /usr/bin/python3 -m scenes.sky_sheet samples /tmp/sky_samples.png   # 16 outdoor samples with a photo sky, 256 px
  cd training && /usr/bin/python3 -m scenes.sky_sheet domes /tmp/sky_domes.png       # every photo (held-out ones too) over a plain
"""
import sys

import numpy as np
from PIL import Image, ImageDraw

from .camera import pose_matrix
from .generate import scene_samples
from .primitives import Plane
from .render import render
from .textures import TextureBank
from .worlds import Scene, build


def samples(bank, n=16, first_seed=7000, size=256):
    """The first n outdoor scenes from first_seed whose sky is a photograph, first view each, labelled."""
    tiles, seed = [], first_seed
    while len(tiles) < n:
        seed += 1
        kind = ['nature', 'forest', 'street'][seed % 3]
        s, _ = build(kind, np.random.default_rng(seed), bank)
        if s.sky_photo is None:
            continue
        out = scene_samples(seed, bank, size, views=1, kind=kind)
        if out:
            im = Image.fromarray(out[0]['rgb'])
            ImageDraw.Draw(im).text((4, 4), f"{kind} {seed} {s.sky_photo['name']}", fill=(255, 0, 0))
            tiles.append(np.asarray(im))
    return np.concatenate([np.concatenate(tiles[i:i + 4], 1) for i in range(0, n, 4)], 0)


def domes(bank):
    """Each sky photo on the dome over a flat plane, no fog: camera 1.6 m up, pitch 20 deg, fov 80, three
    headings 69 deg apart."""
    rows = []
    for i in range(len(bank.sky)):
        s = Scene(np.random.default_rng(i), bank)
        s.outdoor_light()
        s.fog_density = 0.0
        s.photo_sky(np.random.default_rng(100 + i), index=i)
        s.add(Plane([0, 0, 0], [0, 1, 0], s.material('grass', 1.0, photo_p=0)))
        ims = []
        for yaw in (0.0, 1.2, 2.4):
            im = Image.fromarray(render(s, pose_matrix([0, 1.6, 0], yaw, np.radians(20), 0.0), 256, 192, 80.0, bank)['rgb'])
            sp = s.sky_photo
            ImageDraw.Draw(im).text((4, 4), f"{sp['name']} e_top {np.degrees(sp['e_top']):.0f} period {np.degrees(sp['period']):.0f}", fill=(255, 0, 0))
            ims.append(np.asarray(im))
        rows.append(np.concatenate(ims, 1))
    return np.concatenate(rows, 0)


def main(argv):
    if len(argv) != 2 or argv[0] not in ('samples', 'domes'):
        print(f'sky_sheet: expected "samples OUT.png" or "domes OUT.png", found {" ".join(argv) or "nothing"}', file=sys.stderr)
        return 2
    bank = TextureBank.load()
    Image.fromarray(samples(bank) if argv[0] == 'samples' else domes(bank)).save(argv[1])
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
