#!/usr/bin/env bash
# Reproduce the shipped `tiny` checkpoint with one command (CPU, about 50 min on 2 cores):
#   bash scripts/train_tiny.sh [STEPS]
# 1. preprocess the shared talking-head clips (../shared/data) into data/shared256 (cached, resumable);
# 2. train `tiny` (128², seed 0, held-out clips: liveportrait_d12, sadtalker_WDA_KatieHill_000) into runs/tiny;
# 3. evaluate on every frame of the held-out clips and copy checkpoint, config, log and evaluation into
#    mobileportrait/weights/.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${1:-2000}
SHARED=${MOBILEPORTRAIT_SHARED_DATA:-../shared/data}
mobileportrait preprocess "$SHARED" -o data/shared256 --size 256 --workers 2
mobileportrait train --config tiny --data data/shared256 --out runs/tiny --steps "$STEPS" --batch_size 8 --lr 5e-4 \
  --ckpt_every 100 --val_every 400 --seed 0 --threads 2 --perceptual pyramid --resume
python - <<'PY'
import json, shutil
from pathlib import Path
from mobileportrait.model import load_model, save_model
from mobileportrait.train import load_clips, validate, VAL_CLIPS
run, dst = Path('runs/tiny'), Path('mobileportrait/weights')
model = load_model(run)
res = validate(model, load_clips('data/shared256', names=VAL_CLIPS))
print(json.dumps(res, indent=1))
save_model(model, dst/'tiny.safetensors')
shutil.copy(run/'config.json', dst/'tiny_config.json')
shutil.copy(run/'log.jsonl', dst/'tiny_log.jsonl')
ev = {'held_out_clips': list(VAL_CLIPS), 'same_identity_all_frames': res}
(dst/'tiny_eval.json').write_text(json.dumps(ev, indent=1))
PY
