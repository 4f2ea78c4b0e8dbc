#!/usr/bin/env bash
# Reproduce the CPU-trained 256² models and their held-out comparison with one command (2 cores, about 2 h):
#   bash scripts/train_tiny256.sh [MINUTES]        # 85 by default, as shipped
# 1. preprocess all of ../shared/data into data/shared256 (every 8th frame; the validation people's clips whole);
# 2. train `tiny-256` from the shipped `tiny` on one budget, two arms at once (one core each, same seed and batches):
#    runs/tiny256_pyramid (the L1 + SSIM pyramid, as `tiny`) and runs/tiny256_adv (+ patch discriminator, feature
#    matching); both with pair-consistent flip + colour augmentation; the validation people are never trained on;
# 3. score `tiny`, both arms and copy-source on the validation people (scripts/evaluate_quality.py -> results/quality/);
# 4. ship the discriminator run as mobileportrait/weights/tiny256.* (it won on sharpness; see results/quality.md).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-85}
SHARED=${MOBILEPORTRAIT_SHARED_DATA:-../shared/data}
mobileportrait preprocess "$SHARED" -o data/shared256 --size 256 --workers 2 --stride 8
mkdir -p runs
COMMON=(--config tiny-256 --init tiny --data data/shared256 --batch_size 4 --lr 2e-4 --threads 1 --augment --seed 0
        --budget_min "$MINUTES" --steps 1000000 --ckpt_every 50 --val_every 0)
mobileportrait train "${COMMON[@]}" --out runs/tiny256_pyramid --resume > runs/tiny256_pyramid.log 2>&1 &
mobileportrait train "${COMMON[@]}" --out runs/tiny256_adv --adversarial 0.1 --feature_matching 1.0 --resume \
  > runs/tiny256_adv.log 2>&1 &
wait
python scripts/evaluate_quality.py tiny=tiny tiny256_pyramid=runs/tiny256_pyramid &
python scripts/evaluate_quality.py tiny256_adv=runs/tiny256_adv &
wait
python scripts/evaluate_quality.py --table | tee results/quality.md
python - <<'PY'
import json, shutil
from pathlib import Path
from mobileportrait.model import load_model, save_model
w, run = Path('mobileportrait/weights'), Path('runs/tiny256_adv')
save_model(load_model(run), w/'tiny256.safetensors')
shutil.copy(run/'config.json', w/'tiny256_config.json'); shutil.copy(run/'log.jsonl', w/'tiny256_log.jsonl')
ev = json.loads(Path('results/quality/tiny256_adv.json').read_text()); ev.pop('cross_id_clips', None)
(w/'tiny256_eval.json').write_text(json.dumps(ev, indent=1))
PY
