"""The completion network: a partial view (what the world shows from a new camera, with holes) in,
a full view out. A compact U-Net like the depth network (training/model.py), read top to bottom.

Inputs (the contract with src/model/run-complete.ts; export writes it into models/manifest.json):
  image      [N,3,H,W] sRGB 0..1; ignored where hole = 1
  log_depth  [N,1,H,W] natural log of metric depth (metres) where a surface is known; 0 elsewhere
  hole       [N,1,H,W] 1 = to fill, 0 = known
  sky        [N,1,H,W] 1 = known sky (seen, no surface), 0 elsewhere
  fov_deg    [N] vertical field of view in degrees
Outputs, for every pixel (the caller keeps its known pixels):
  rgb        [N,3,H,W] sRGB 0..1
  log_depth  [N,1,H,W] natural log of metric depth (metres)
  sky        [N,1,H,W] 0..1 probability of sky

The network starts from the classical answer and learns what to change: push-pull (pushpull.py, the
baseline it is measured against) fills colour, sky and log-depth from the hole borders inside the
graph, and the network predicts a correction to that fill (in logit space for colour and sky). So a
small hole is right from the start, and training spends itself on what interpolation cannot do.
Depth is handled relative to the known surface: the mean known log-depth is subtracted on the way in
and added back on the way out, so the network works the same at any scene scale, and its output
meets the known depth around the hole in metres.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from model import Block, conv_bn, ray_channels  # training/model.py: the same blocks and ray channels as the depth model

WIDTHS = (24, 48, 96, 128, 160)  # strides 2, 4, 8, 16 and the stride-16 bottleneck
IN_CH = 3 + 1 + 1 + 1 + 2 + 5    # rgb, relative log-depth, hole, sky, two ray channels, push-pull rgb/log-depth/sky


def push_pull(v, w, levels=8):
    """Push-pull fill of v [N,C,H,W] from the pixels where w [N,1,H,W] is 1 (torch version of pushpull.py;
    ceil-mode pooling so any H, W works; fixed level count so the ONNX graph is static in structure)."""
    pyr = []
    for _ in range(levels):
        pyr.append((v, w))
        s = F.avg_pool2d(v * w, 2, ceil_mode=True)
        ws = F.avg_pool2d(w, 2, ceil_mode=True)
        v = s / ws.clamp_min(1e-6)
        w = (ws * 4).clamp(max=1.0)
    up = v
    for v_l, w_l in reversed(pyr):
        up = F.interpolate(up, size=v_l.shape[2:], mode='bilinear', align_corners=False)
        up = w_l * v_l + (1 - w_l) * up
    return up


def logit(p):
    p = p.clamp(0.02, 0.98)
    return torch.log(p / (1 - p))


class CompletionNet(nn.Module):
    def __init__(self, widths=WIDTHS):
        super().__init__()
        w = widths
        self.stem = nn.Sequential(conv_bn(IN_CH, w[0], stride=2), Block(w[0], w[0]))
        self.down = nn.ModuleList([Block(w[i], w[i + 1], stride=2) for i in range(3)])
        # dilated blocks at 1/16: a wide receptive field, so the middle of a large hole sees its border
        self.deep = nn.Sequential(Block(w[3], w[4], dilation=1), Block(w[4], w[4], dilation=2), Block(w[4], w[4], dilation=4))
        self.context = nn.Sequential(nn.Linear(w[4], w[4]), nn.ReLU(inplace=True))
        self.fuse = nn.Conv2d(2 * w[4], w[3], 1)
        self.up = nn.ModuleList([Block(w[i + 1] + w[i], w[i]) for i in reversed(range(3))])
        self.head = nn.Sequential(conv_bn(w[0], w[0]), nn.Conv2d(w[0], 5, 1))
        self.refine = nn.Sequential(nn.Conv2d(5 + IN_CH, 24, 3, 1, 1), nn.ReLU(inplace=True), nn.Conv2d(24, 5, 3, 1, 1))
        with torch.no_grad():
            self.head[-1].weight.zero_()  # start exactly at the push-pull fill
            self.head[-1].bias.zero_()
            self.refine[-1].weight.mul_(0.1)
            self.refine[-1].bias.zero_()

    def forward(self, image, log_depth, hole, sky, fov_deg):
        known = 1 - hole
        surf = known * (1 - sky)
        n_surf = surf.sum(dim=(1, 2, 3), keepdim=True)
        # mean known log-depth; log(4 m) when nothing solid is known
        ref = (log_depth * surf).sum(dim=(1, 2, 3), keepdim=True) / n_surf.clamp_min(1.0)
        ref = ref + (n_surf < 0.5).float() * math.log(4.0)
        rel = (log_depth - ref) * surf
        pp_col = push_pull(torch.cat([image * known, sky * known], 1), known)   # colour and sky from all known
        pp_rel = push_pull(rel, surf)                                            # log-depth from known surfaces
        x = torch.cat([(image - 0.5) * known, rel, hole, sky * known, ray_channels(image, fov_deg),
                       pp_col[:, :3] - 0.5, pp_rel, pp_col[:, 3:4]], dim=1)
        skips = [self.stem(x)]
        for d in self.down:
            skips.append(d(skips[-1]))
        y = self.deep(skips.pop())
        g = self.context(y.mean(dim=(2, 3)))[:, :, None, None] * torch.ones_like(y[:, :1])
        y = F.relu(self.fuse(torch.cat([y, g], dim=1)))
        for up in self.up:
            s = skips.pop()
            y = F.interpolate(y, size=s.shape[2:], mode='bilinear', align_corners=False)
            y = up(torch.cat([y, s], dim=1))
        y = F.interpolate(self.head(y), size=image.shape[2:], mode='bilinear', align_corners=False)
        y = y + self.refine(torch.cat([y, x], dim=1))
        rgb = torch.sigmoid(logit(pp_col[:, :3]) + y[:, 0:3])
        return rgb, pp_rel + ref + y[:, 3:4], torch.sigmoid(logit(pp_col[:, 3:4]) + y[:, 4:5])


def count_params(m):
    return sum(p.numel() for p in m.parameters())
