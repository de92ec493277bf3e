#!/bin/sh
# System packages the test suite needs beyond npm, installed only when missing (Debian, run as root):
#   - Chromium for the viewer's browser tests (src/app/e2e: playwright-core, WebGL on SwiftShader);
#   - Debian's PyTorch, NumPy, Pillow and ONNX for the training smoke test (training/test_smoke.py),
#     used through /usr/bin/python3 (another python3 may come first on PATH without them);
#   - Debian's wallpaper photos (plasma-workspace-wallpapers, mate-backgrounds): the training scenes'
#     photo textures and skies (training/scenes/textures.py; its sky test fails without them, and the
#     held-out view sets of bench/ would be rendered without photo textures).
# Idempotent: a machine that has everything installs nothing.
set -eu
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
/usr/bin/python3 -c 'import torch, numpy, PIL, onnx' 2>/dev/null || missing="$missing python3-torch python3-numpy python3-pil python3-onnx"
[ -f /usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg ] || missing="$missing plasma-workspace-wallpapers"
[ -f /usr/share/backgrounds/mate/nature/Storm.jpg ] || missing="$missing mate-backgrounds"
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-system: missing system packages:$missing (run as root, or: sudo apt-get install -y$missing)" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
