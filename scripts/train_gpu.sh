#!/usr/bin/env bash
# Train a MobilePortrait config on a GPU from a training pack for a given number of minutes, then write its fp16
# weights (safetensors shards of <= 15 MiB, every minute as it goes) and its held-out evaluation into OUT.
#
#   bash scripts/train_gpu.sh PACK OUT MINUTES [INIT]
#
#   PACK     a training pack (mobileportrait pack DATA -o PACK, or scripts/gpu_payload.py --make PACK): clips +
#            validation.tsv, no dlib or video decoding needed
#   OUT      folder for the results: model-NN-of-NN.safetensors, disc.safetensors (the discriminator, for the next
#            run's INIT_DISC), log.jsonl, eval.json (at most 8 files)
#   MINUTES  training budget in minutes (the lr decays at 70 % and 90 % of it)
#   INIT     optional weights to continue from (a shipped name, .safetensors file or run folder): each GPU run starts
#            where the last one stopped
#
# Environment: CONFIG (mp-4g), DEVICE (cuda; cpu for a smoke test), BS (32), WORKERS (12), LR (5e-4), RUN (a scratch
# run folder, default /tmp/mp_run), ADV (0.1, adversarial weight), FM (1.0, feature matching), MOUTH (0, weight of the
# mouth-crop loss, notebook 07), MOUTH_PAIRS (0, share of mined open/closed-mouth pairs, notebook 08), STEPS (10^9),
# INIT_DISC (start the discriminator from a run folder, a disc.safetensors an earlier run sent back, or a shipped
# model's: tiny256). tiny256's recipe: MOUTH=1 MOUTH_PAIRS=0.5 INIT_DISC=tiny256.
# Join the shards afterwards with:
#   python -c "from mobileportrait.train import join_shards; join_shards('OUT', 'w.safetensors')"
set -euo pipefail
cd "$(dirname "$0")/.."
PACK=$1; OUT=$2; MINUTES=$3; INIT=${4:-}
export PACK OUT MINUTES INIT CONFIG=${CONFIG:-mp-4g} DEVICE=${DEVICE:-cuda} BS=${BS:-32} WORKERS=${WORKERS:-12} \
       LR=${LR:-5e-4} RUN=${RUN:-/tmp/mp_run} ADV=${ADV:-0.1} FM=${FM:-1.0} MOUTH=${MOUTH:-0} \
       MOUTH_PAIRS=${MOUTH_PAIRS:-0} \
       STEPS=${STEPS:-1000000000} INIT_DISC=${INIT_DISC:-} PYTHONUNBUFFERED=1
mkdir -p "$OUT"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"     # the package from this checkout, installed or not
${PYTHON:-python3} - <<'PY'
import json, os, shutil, time, torch
from pathlib import Path
from mobileportrait.train import TrainConfig, train, load_clips, validate, validation_split, save_shards
from mobileportrait.losses import LossConfig
from mobileportrait.model import load_model
e = os.environ
out, run, cuda = Path(e['OUT']), Path(e['RUN']), e['DEVICE'].startswith('cuda')
if cuda:
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True
shutil.rmtree(run, ignore_errors=True)
val = tuple(validation_split(Path(e['PACK'])/'validation.tsv'))
cfg = TrainConfig(model=e['CONFIG'], steps=int(e['STEPS']), batch_size=int(e['BS']), lr=float(e['LR']),
                  budget_min=float(e['MINUTES']),
                  ckpt_every=10**9, ckpt_minutes=1.0, val_every=0, val_clips=val, augment=True, init=e['INIT'] or None,
                  init_disc=e['INIT_DISC'] or None, mouth_pairs=float(e['MOUTH_PAIRS']),
                  device=e['DEVICE'], workers=int(e['WORKERS']), amp=cuda, channels_last=cuda, threads=os.cpu_count(),
                  export_dir=str(out), loss=LossConfig(adversarial=float(e['ADV']), feature_matching=float(e['FM']),
                                                    mouth=float(e['MOUTH'])))
t0 = time.time()
train(e['PACK'], run, cfg, progress=False)
shutil.copy(run/'log.jsonl', out/'log.jsonl')
model = load_model(run).to(e['DEVICE'])
save_shards(model, out)
clips = load_clips(e['PACK'], names=val)
res = {'config': e['CONFIG'], 'minutes': float(e['MINUTES']), 'wall_s': round(time.time() - t0), 'device': e['DEVICE'],
       'steps': sum(1 for l in open(run/'log.jsonl') if '"val"' not in l), 'held_out_clips': list(val),
       'model': validate(model, clips)}
if e['INIT']: res['init'] = validate(load_model(e['INIT']).to(e['DEVICE']), clips)
(out/'eval.json').write_text(json.dumps(res, indent=1))
print(json.dumps(res, indent=1))
PY
