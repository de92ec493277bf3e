#!/bin/bash
# Gather what training/gpu_session.sh needs into gpu-carry/ (ignored by git; the device tool carries it):
# the texture bank (made from the wallpapers, which the GPU machine lacks), the validation split, two
# training shards to start the pool, and the shipped checkpoints to start from.
set -eu
cd "$(dirname "$0")/.."
rm -rf gpu-carry && mkdir -p gpu-carry/val gpu-carry/seed
cp training/data/textures.npz gpu-carry/
cp training/data/val/*.npz gpu-carry/val/
ls training/data/train/shard_*.npz | head -n "${SEED_SHARDS:-2}" | xargs -I{} cp {} gpu-carry/seed/
cp "${DEPTH_INIT:-training/runs/cont/best.pt}" gpu-carry/depth-init.pt
cp "${COMPLETE_INIT:-training/runs/complete/best.pt}" gpu-carry/complete-init.pt
du -sh gpu-carry
