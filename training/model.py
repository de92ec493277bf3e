"""The built-in depth network: a compact U-Net that maps an RGB photo (+ its vertical field of view)
to per-pixel splat parameters.

Inputs (this is the contract with src/model; export.py writes it into models/manifest.json):
  image    [N, 3, H, W] float32, RGB as stored in the photo file (sRGB), values 0..1. H, W multiples of 16
           (pad otherwise). The network normalises it itself with MEAN/STD below.
  fov_deg  [N] float32, vertical field of view in degrees; 60 when unknown.
Outputs:
  log_depth  [N, 1, H, W]  natural log of metric depth in metres, along the view axis (-z in camera coordinates)
  confidence [N, 1, H, W]  0..1, how much to trust the depth (trained to predict exp(-|log-depth error| / 0.1))
  normal     [N, 3, H, W]  unit surface normal in camera coordinates (X right, Y up, Z towards the viewer)
  sky        [N, 1, H, W]  0..1, probability that the pixel is sky (no surface; depth meaningless)

Why the field of view is an input: metric depth from one image is ambiguous up to the focal length
(the same picture taken with twice the focal length shows things twice as far). We turn the FoV into
two per-pixel ray-direction channels (x/z, y/z of the pixel ray) inside the network, so the convolutions
see the camera geometry and the pixel's elevation relative to the optical axis; the Node/browser side
only passes one number. Training feeds the true FoV most of the time and 60 degrees (the
unknown-FoV default) some of the time, so a missing FoV degrades gracefully instead of misleading.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = (0.485, 0.456, 0.406)  # applied to the 0..1 sRGB input: (x - MEAN) / STD
STD = (0.229, 0.224, 0.225)
DEFAULT_FOV = 60.0
WIDTHS = (24, 48, 96, 160, 224)  # channels at strides 2, 4, 8, 16 and the stride-16 bottleneck


def conv_bn(cin, cout, stride=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Block(nn.Module):
    """Two 3x3 convolutions with a residual connection; the second may be dilated (the completion
    model widens its view of the hole's surroundings that way)."""

    def __init__(self, cin, cout, stride=1, dilation=1):
        super().__init__()
        self.a = conv_bn(cin, cout, stride)
        self.b = nn.Sequential(nn.Conv2d(cout, cout, 3, 1, dilation, dilation=dilation, bias=False), nn.BatchNorm2d(cout))
        self.skip = None if (cin == cout and stride == 1) else nn.Sequential(
            nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        s = x if self.skip is None else self.skip(x)
        return F.relu(self.b(self.a(x)) + s)


def ray_channels(image, fov_deg):
    """[N, 2, H, W]: x/z and y/z of each pixel's ray (camera frame, y up), from the vertical FoV.
    Built from cumulative sums so the ONNX graph keeps H and W dynamic."""
    ones = torch.ones_like(image[:, :1])
    u = torch.cumsum(ones, dim=3) - 0.5  # pixel centre column
    v = torch.cumsum(ones, dim=2) - 0.5
    w = ones.sum(dim=3, keepdim=True)
    h = ones.sum(dim=2, keepdim=True)
    f = h / 2 / torch.tan(fov_deg.view(-1, 1, 1, 1) * (math.pi / 360.0))
    return torch.cat([(u - w / 2) / f, -(v - h / 2) / f], dim=1)


class DepthNet(nn.Module):
    """Built for a CPU budget: the U-Net works at 1/2 .. 1/16 resolution (almost all parameters sit at
    1/16, where they cost few FLOPs); its outputs are upsampled to full resolution and refined by a
    small full-resolution convolution that also sees the RGB image, so edges stay sharp."""

    def __init__(self, widths=WIDTHS):
        super().__init__()
        w = widths
        self.register_buffer('mean', torch.tensor(MEAN).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor(STD).view(1, 3, 1, 1))
        self.stem = nn.Sequential(conv_bn(5, w[0], stride=2), Block(w[0], w[0]))            # 1/2
        self.down = nn.ModuleList([Block(w[i], w[i + 1], stride=2) for i in range(3)])      # 1/4, 1/8, 1/16
        self.deep = nn.Sequential(Block(w[3], w[4]), Block(w[4], w[4]))                     # 1/16
        self.context = nn.Sequential(nn.Linear(w[4], w[4]), nn.ReLU(inplace=True))          # global scene context
        self.fuse = nn.Conv2d(2 * w[4], w[3], 1)
        self.up = nn.ModuleList([Block(w[i + 1] + w[i], w[i]) for i in reversed(range(3))])  # 1/8, 1/4, 1/2
        self.head = nn.Sequential(conv_bn(w[0], w[0]), nn.Conv2d(w[0], 6, 1))
        self.refine = nn.Sequential(nn.Conv2d(6 + 3, 16, 3, 1, 1), nn.ReLU(inplace=True), nn.Conv2d(16, 6, 3, 1, 1))
        with torch.no_grad():  # start at depth ~ 4 m, confidence 0.5, normal facing the camera, no sky
            self.head[-1].bias.copy_(torch.tensor([math.log(4.0), 0.0, 0.0, 0.0, 1.0, -2.0]))
            self.refine[-1].weight.mul_(0.1)
            self.refine[-1].bias.zero_()

    def forward(self, image, fov_deg):
        rgb = (image - self.mean) / self.std
        x = torch.cat([rgb, ray_channels(image, fov_deg)], dim=1)
        skips = [self.stem(x)]
        for d in self.down:
            skips.append(d(skips[-1]))
        x = self.deep(skips.pop())
        g = self.context(x.mean(dim=(2, 3)))[:, :, None, None] * torch.ones_like(x[:, :1])
        x = F.relu(self.fuse(torch.cat([x, g], dim=1)))
        for up in self.up:
            s = skips.pop()
            x = F.interpolate(x, scale_factor=2.0, mode='bilinear', align_corners=False)
            x = up(torch.cat([x, s], dim=1))
        y = F.interpolate(self.head(x), scale_factor=2.0, mode='bilinear', align_corners=False)
        y = y + self.refine(torch.cat([y, rgb], dim=1))
        log_depth = y[:, 0:1]
        confidence = torch.sigmoid(y[:, 1:2])
        n = y[:, 2:5]
        normal = n / torch.sqrt((n * n).sum(dim=1, keepdim=True) + 1e-6)
        sky = torch.sigmoid(y[:, 5:6])
        return log_depth, confidence, normal, sky


def widths_of(state):
    """The widths a DepthNet state dict was made with, read from its weights' shapes, so a checkpoint of
    a wider network (train.py --widths) loads wherever one of the shipped size does."""
    return tuple(int(state[k].shape[0]) for k in ('stem.0.0.weight', 'down.0.a.0.weight', 'down.1.a.0.weight',
                                                  'down.2.a.0.weight', 'deep.0.a.0.weight'))


def load_net(state):
    net = DepthNet(widths_of(state))
    net.load_state_dict(state)
    return net


def count_params(m):
    return sum(p.numel() for p in m.parameters())


if __name__ == '__main__':
    import time
    torch.set_num_threads(1)
    m = DepthNet()
    print(f'{count_params(m) / 1e6:.2f} M parameters')
    x = torch.rand(8, 3, 128, 128)
    fov = torch.full((8,), 60.0)
    opt = torch.optim.SGD(m.parameters(), lr=1e-3)
    for i in range(3):
        t = time.time()
        out = m(x, fov)
        sum(o.mean() for o in out).backward()
        opt.step()
        print(f'train step, batch 8 at 128x128: {time.time() - t:.2f} s')
