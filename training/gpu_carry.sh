#!/bin/bash
# Gather what training/gpu_session.sh needs into gpu-carry/ (ignored by git; the device tool carries it):
# the texture bank (made from the wallpapers, which the GPU machine lacks), the validation split, two
# training shards to start the pool, and the shipped checkpoints to start from, without optimiser state
# (the device tool carries at most 64 MiB with the working tree).
set -eu
cd "$(dirname "$0")/.."
rm -rf gpu-carry && mkdir -p gpu-carry/val gpu-carry/seed
cp training/data/textures.npz gpu-carry/
[ -f training/data/real_photos.npz ] || /usr/bin/python3 training/keep_real.py training/data/real_photos.npz
cp training/data/real_photos.npz gpu-carry/
cp training/data/val/*.npz gpu-carry/val/
ls training/data/train/shard_*.npz | head -n "${SEED_SHARDS:-2}" | xargs -I{} cp {} gpu-carry/seed/
# A fresh machine has no checkpoints (training/runs is not in git): the shipped ONNX rebuilds one.
DEPTH_INIT=${DEPTH_INIT:-training/runs/onnx/init.pt}
[ -f "$DEPTH_INIT" ] || /usr/bin/python3 training/from_onnx.py models/worldsplat-depth.onnx "$DEPTH_INIT"
COMPLETE_INIT=${COMPLETE_INIT:-training/runs/complete-gpu/best.pt}
/usr/bin/python3 - "$DEPTH_INIT" gpu-carry/depth-init.pt "$COMPLETE_INIT" gpu-carry/complete-init.pt <<'PYEOF'
import os, sys, torch
for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
    if not os.path.exists(src) and 'complete' in dst:
        print(src, 'missing: the completion model cannot train in this session (COMPLETION=0)')
        continue
    ck = torch.load(src, map_location='cpu')
    torch.save({k: v for k, v in ck.items() if k != 'opt'}, dst)
    print(src, '->', dst)
PYEOF
du -sh gpu-carry
