#!/bin/bash
# Gather what training/gpu_session.sh needs into gpu-carry/ (ignored by git; the device tool carries it):
# the texture bank (made from the wallpapers, which the GPU machine lacks), the validation split, two
# training shards to start the pool, and the shipped checkpoints to start from, without optimiser state
# (the device tool carries at most 64 MiB with the working tree).
set -eu
cd "$(dirname "$0")/.."
rm -rf gpu-carry && mkdir -p gpu-carry/val gpu-carry/seed
cp training/data/textures.npz gpu-carry/
cp training/data/val/*.npz gpu-carry/val/
ls training/data/train/shard_*.npz | head -n "${SEED_SHARDS:-2}" | xargs -I{} cp {} gpu-carry/seed/
/usr/bin/python3 - "${DEPTH_INIT:-training/runs/cpu-swap/final.pt}" gpu-carry/depth-init.pt \
  "${COMPLETE_INIT:-training/runs/complete-gpu/best.pt}" gpu-carry/complete-init.pt <<'PYEOF'
import sys, torch
for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
    ck = torch.load(src, map_location='cpu')
    torch.save({k: v for k, v in ck.items() if k != 'opt'}, dst)
    print(src, '->', dst)
PYEOF
du -sh gpu-carry
