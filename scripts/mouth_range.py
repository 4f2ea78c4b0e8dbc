"""How far the renderer opens a mouth when a held-out speaker's own video drives it (issue 20/25): same identity,
source = the clip's first frame, absolute motion, first 100 frames; dlib tracks the real and the rendered frames and the
p5-p95 range of the inner-lip gap (in eye distances) of the rendered mouth is compared with the real one's.
    python scripts/mouth_range.py NAME=CHECKPOINT [NAME=CHECKPOINT ...] [--out results/mouth_range.json]
Needs ../shared/data (not shipped); about 1.5 CPU-minutes per checkpoint."""
import argparse, json
from itertools import islice
from pathlib import Path
import numpy as np
from mobileportrait.animate import animate
from mobileportrait.audio_train import opening_range
from mobileportrait.evaluate import Scorer
from mobileportrait.lipsync import mouth_opening
from mobileportrait.model import load_model
import torch

CLIPS = ('lipnet/GRID_bbaf2n', 'liveportrait/d12', 'pc-avs/Pose_Source_00067', 'sadtalker/WDA_BobMenendez_000',
         'sadtalker/WDA_KatieHill_000', 'video-retalking/face_1')   # the held-out speakers of results/audio.md

def score_clip(model, scorer: Scorer, video: str, frames: int) -> dict:
    ref = scorer.reference(video, 256, frames)
    pred = list(islice(animate(ref['source_png'], ref['driving'], model=model, relative=False, crop=False, size=256),
                       len(ref['real'])))
    lp, lr = scorer.landmarks(pred), ref['landmarks'][:len(pred)]
    ok = ~np.isnan(lp[:, 0, 0]) & ~np.isnan(lr[:, 0, 0])
    og, orl = mouth_opening(lp[ok]), mouth_opening(lr[ok])
    return {'range_ratio': opening_range(og) / opening_range(orl), 'corr': float(np.corrcoef(og, orl)[0, 1]),
            'mean_opening_ratio': float(og.mean() / orl.mean()), 'face_found': float(ok.mean())}

ap = argparse.ArgumentParser()
ap.add_argument('models', nargs='+'); ap.add_argument('--out', default='results/mouth_range.json')
ap.add_argument('--data', default='../shared/data'); ap.add_argument('--frames', type=int, default=100)
a = ap.parse_args()
torch.set_num_threads(1)   # one core (the other may be training)
out, scorer = Path(a.out), Scorer()
res = json.loads(out.read_text()) if out.exists() else {}
for spec in a.models:
    name, ck = spec.split('=', 1)
    model = load_model(ck).eval()
    clips = {c: score_clip(model, scorer, f'{a.data}/{c}.mp4', a.frames) for c in CLIPS}
    mean = {k: float(np.mean([r[k] for r in clips.values()])) for k in next(iter(clips.values()))}
    res[name] = {'checkpoint': ck, 'frames': a.frames, 'clips': clips, 'mean': mean}
    print(name, {k: round(v, 3) for k, v in mean.items()}, flush=True)
    out.write_text(json.dumps(res, indent=1))
