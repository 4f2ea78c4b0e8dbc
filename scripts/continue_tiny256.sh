#!/usr/bin/env bash
# Continue the shipped adversarial tiny256 run for more CPU minutes (one core), keeping its discriminator and optimiser:
#   bash scripts/continue_tiny256.sh [TOTAL_MINUTES] [FROM_RUN] [TO_RUN]     # 190, runs/tiny256_adv, runs/tiny256_adv2
# The run resumes at its last checkpoint with the budget raised to TOTAL_MINUTES of training (the lr schedule is a
# fraction of it: back to 2e-4 until 70 %, then ×0.1 at 70 % and 90 %), then is scored on the held-out people
# (results/quality/NAME.json). Needs the cache of scripts/train_tiny256.sh (data/shared256).
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL=${1:-190}; FROM=${2:-runs/tiny256_adv}; TO=${3:-runs/tiny256_adv2}
[ -e "$TO" ] || cp -r "$FROM" "$TO"
mobileportrait train --config tiny-256 --init tiny --data data/shared256 --batch_size 4 --lr 2e-4 --threads 1 \
  --augment --seed 0 --budget_min "$TOTAL" --steps 1000000 --ckpt_every 50 --val_every 0 --out "$TO" --adversarial 0.1 \
  --feature_matching 1.0 --resume > "$TO.log" 2>&1
python scripts/evaluate_quality.py "$(basename "$TO")=$TO"
