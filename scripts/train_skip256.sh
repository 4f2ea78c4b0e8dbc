#!/usr/bin/env bash
# The source skip (tiny-256-skip) trained on top of a tiny-256 run, one CPU core, keypoints frozen (so the audio
# models, which predict tiny256's keypoints, stay valid):
#   bash scripts/train_skip256.sh [MINUTES] [INIT] [RUN] [SEED] [MOUTH]
# As run: `95 tiny256 runs/skip256` when tiny256 was still tiny256_adv3 (scripts/continue_tiny256.sh; to redo it now,
# give runs/tiny256_adv3 as INIT and seed 1), then `95 runs/skip256 runs/skip256b` (shipped as tiny256 since).
# With INIT = the shipped tiny256 (already a skip model) it continues that model.
# Every layer is copied from INIT except the new keep-mask head (zero weights, bias -4: it starts as tiny256); the lr
# is 1e-4 (x0.1 at 70 % and 90 % of the budget), with the patch discriminator as in scripts/train_tiny256.sh. Then the
# run is scored on the held-out people (results/quality/NAME.json). Needs the cache of scripts/train_tiny256.sh.
# MOUTH (default 0): the weight of the mouth-crop loss (notebook 07's MouthLoss).
set -euo pipefail
cd "$(dirname "$0")/.."
MIN=${1:-95}; INIT=${2:-tiny256}; RUN=${3:-runs/skip256}
SEED=${4:-$([ "$INIT" = tiny256 ] && echo 1 || echo 2)}   # a new seed per continuation: new samples
MOUTH=${5:-0}
mobileportrait train --config tiny-256-skip --data data/shared256 --out "$RUN" --init "$INIT" \
  --freeze kp_detector,merger --amp --channels_last --batch_size 4 --lr 1e-4 --adversarial 0.1 --feature_matching 1 \
  --mouth "$MOUTH" --augment --budget_min "$MIN" --steps 1000000 --threads 1 --val_every 0 --ckpt_every 50 \
  --seed "$SEED" > "$RUN.log" 2>&1
python scripts/evaluate_quality.py "$(basename "$RUN")=$RUN"
