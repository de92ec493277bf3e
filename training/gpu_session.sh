#!/bin/bash
# One lent-GPU session (about 8 minutes): fresh procedural scenes are rendered on the CPU cores while the
# depth model (one run per KEEP_REAL weight) and the completion model train on the GPU from the shipped weights. What it needs arrives
# in $CARRY (made by training/gpu_carry.sh); what it produces goes to $OUT (checkpoints and logs, which
# training/export.py and `complete/train.py --eval-only` turn into models/ on any machine).
#
#   CARRY=gpu-carry OUT=/tmp/out MINUTES=7 bash training/gpu_session.sh
set -u
CARRY=$(realpath "${CARRY:-gpu-carry}")
OUT=${OUT:-/tmp/gpu-out}
MINUTES=${MINUTES:-7}
GENERATORS=${GENERATORS:-11}
FIRST_SEED=${FIRST_SEED:-40000000}  # a second session needs another range, or it renders the same scenes again
COMPLETION=${COMPLETION:-1}  # 0: the depth model alone
BATCH=${BATCH:-64}
LR=${LR:-1e-3}
SKY_SWAP=${SKY_SWAP:-0.3}  # share of images with sky whose sky becomes a photographed one (sky_swap.py)
KEEP_REAL=${KEEP_REAL:-0.5 2}  # one depth run per weight of the pull towards the start network on real photos (keep_real.py); 0: none
WIDTHS=${WIDTHS:-}  # e.g. 32,64,128,208,288: a network of this size trained from scratch (no --init, no pull to real photos)
TEACHER=${TEACHER:-}  # a checkpoint in $CARRY to keep on real photos instead of depth-init.pt (a run continued)
POOL_WAIT=${POOL_WAIT:-120}  # seconds of scene generation before the completion model loads its pairs
mkdir -p "$OUT"
cd "$(dirname "$0")"
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1
PY=${PY:-python3}
DEVICE=${DEVICE:-cuda}
start=$(date +%s)
say() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$OUT/session.log"; }

mkdir -p data/train data/val runs
cp "$CARRY/textures.npz" data/ && { [ ! -f "$CARRY/real_photos.npz" ] || cp "$CARRY/real_photos.npz" data/; } && cp "$CARRY"/val/*.npz data/val/ && cp "$CARRY"/seed/*.npz data/train/
say "$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1)"
say "$($PY -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__, "cuda", torch.cuda.is_available())' 2>&1)"

# Scene generators: disjoint seed ranges far from the held-out splits (val 9e8, test 1e9).
for i in $(seq 0 $((GENERATORS - 1))); do
  $PY -m scenes.generate --out data/train --first $((FIRST_SEED + i * 1000000)) --scenes 1000000 --shard 20 >>"$OUT/generators.log" 2>&1 &
done
say "started $GENERATORS generators"

depth_s=$(awk "BEGIN { print int($MINUTES * 60) }")
depth=
for keep in $KEEP_REAL; do  # the runs share the GPU and the pool of scenes the generators write
  timeout $((depth_s + 60)) $PY train.py --device "$DEVICE" --amp --batch "$BATCH" --lr "$LR" --sky-swap "$SKY_SWAP" --warmup 200 --pool 120000 \
    $(if [ -n "$WIDTHS" ]; then echo --widths "$WIDTHS"; else echo --init "$CARRY/depth-init.pt" --keep-real "$keep" ${TEACHER:+--keep-real-teacher "$CARRY/$TEACHER"}; fi) --run "runs/gpu-keep$keep" --minutes "$MINUTES" --generate no --ckpt-minutes 1 --threads 2 \
    >"$OUT/depth-keep$keep.log" 2>&1 &
  depth="$depth $!"
done

# The completion model loads its pairs once, so it starts after the generators have made a pool.
comp=
if [ "$COMPLETION" = 1 ]; then
sleep "$POOL_WAIT"
say "shards before the completion model starts: $(ls data/train/*.npz | wc -l)"
comp_min=$(awk "BEGIN { print $MINUTES - ($POOL_WAIT + 18) / 60 }")
timeout $((depth_s - 60)) $PY complete/train.py --device "$DEVICE" --workers 3 --batch 32 --size 128 --lr 1e-3 --warmup 100 \
  --init "$CARRY/complete-init.pt" --run runs/complete-gpu --minutes "$comp_min" --train-only --ckpt-minutes 1 \
  >"$OUT/complete.log" 2>&1 &
comp=$!
fi

for p in $depth; do wait $p; say "depth training $p exited $?"; done
[ -n "$comp" ] && { wait $comp; say "completion training exited $?"; }
kill $(jobs -p) 2>/dev/null
say "training shards at the end: $(ls data/train/*.npz | wc -l)"

# Checkpoints back without optimiser state (the file size limit): best by validation, and the last weights.
$PY - "$OUT" <<'PYEOF'
import os, sys, torch
out = sys.argv[1]
runs = [(os.path.join('runs', r), 'depth-' + r[4:]) for r in sorted(os.listdir('runs')) if r.startswith('gpu-keep')]
for run, name in runs + [('runs/complete-gpu', 'complete')]:
    for which in ('best', 'last'):
        p = os.path.join(run, which + '.pt')
        if os.path.exists(p):
            ck = torch.load(p, map_location='cpu', weights_only=False)
            torch.save({k: v for k, v in ck.items() if k != 'opt'}, os.path.join(out, f'{name}-{which}.pt'))
            print('saved', name, which, ck['state'].get('step'))
PYEOF
say "done"
