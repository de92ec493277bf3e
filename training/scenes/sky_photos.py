"""Hand-made table of the wallpaper photographs whose open sky is used as a photographic sky dome.

How it was made (2026-11-27): every image in /usr/share/wallpapers/*/contents/images/ (largest size) and
/usr/share/backgrounds/mate/ was converted to a 320 px wide thumbnail (`convert in.jpg -resize 320x`),
looked at with 10% tick marks at the image edge, and the candidates again at 480 px with 5% ticks. Kept:
real photographs with an open sky. `sky` is the top fraction of the image height that is sky and nothing
else (measured at the lowest point of hills, trees, posts inside the kept columns, rounded down);
`x0, x1` the columns kept (fractions of the width), to cut off a tree, a hill or the kite that reaches
into the sky; `sun` whether the photo shows direct sunlight (scenes lit by it get their sun; the others
are overcast, foggy or dusk and get the dim overcast sun).

Looked at and NOT used as sky:
  Altai, Cascade, PastelHills, SafeLanding, Autumn  drawn / low-poly art, not photographs
  MilkyWay                                          an abstract purple pattern, not a night sky
  Dune (mate)                                       grass blades reach the top of the frame over most columns
  Path, OneStandsOut, Garden, GreenMeadow, FallenLeaf, LadyBird, TwoWings, YellowFlower, FreshFlower,
  RainDrops, Aqua, Wood, Blinds, ColorfulCups, Grey  no sky in frame (forest, close-ups, objects)
  Canopee, Cluster, Elarun, Flow, FlyingKonqui, Honeywave, IceCold, Kay, Kokkini, Opal, Patak, Shell,
  Volna, Elephants, the MATE desktop/abstract images  abstract / graphics
"""
import os

# Photos that docs/real/make-pictures.ts turns into worlds to check the model on real photographs: their
# skies stay out of training (the bank holds them, scenes do not use them) so that check stays honest.
# Set HOLD_OUT = () to train on all of them (more sunset skies; EveningGlow is the only sunset).
HOLD_OUT = ('EveningGlow', 'BytheWater')


def photo_name(path):
    """A wallpaper's name as HOLD_OUT and the bank's sky table use it: the KDE wallpaper's folder
    (/usr/share/wallpapers/<name>/contents/...) or the file's stem (/usr/share/backgrounds/mate/.../<name>.jpg)."""
    return os.path.basename(path.split('/contents/')[0]) if '/contents/' in path else os.path.splitext(os.path.basename(path))[0]


# (path, sky fraction from the top, x0, x1, direct sun)
SKY_PHOTOS = [
    ('/usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg', 0.26, 0.0, 0.74, True),   # sunset, orange and dark clouds; hills on the right cut off
    ('/usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg', 0.15, 0.0, 0.90, True),    # soft cumulus over a far treeline; tree top right cut off
    ('/usr/share/wallpapers/ColdRipple/contents/images/2560x1600.jpg', 0.40, 0.0, 1.0, False),    # grey fog (black and white photo), above the pier posts
    ('/usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg', 0.51, 0.0, 0.92, False),  # blue hour over a misty lake; dark trees on the right cut off
    ('/usr/share/wallpapers/summer_1am/contents/images/2560x1600.jpg', 0.61, 0.0, 1.0, False),    # clear dusk: violet to pink towards the horizon
    ('/usr/share/wallpapers/Kite/contents/images/2560x1600.jpg', 1.0, 0.0, 0.60, True),           # deep blue, cirrus, a cumulus edge; kite cut off
    ('/usr/share/backgrounds/mate/nature/Storm.jpg', 0.58, 0.0, 1.0, False),                      # dark storm clouds over a plain
]
