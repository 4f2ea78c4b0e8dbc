"""How far the renderer opens a mouth when a held-out speaker's own video drives it (issue 20/25): same identity,
source = the clip's first frame, absolute motion, first 100 frames; dlib tracks the real and the rendered frames and the
p5-p95 range of the inner-lip gap (in eye distances) of the rendered mouth is compared with the real one's.
    python scripts/mouth_range.py NAME=CHECKPOINT [NAME=CHECKPOINT ...] [--out results/mouth_range.json] [--jpg FILE]
--jpg: one row per clip, the mouth at the frame where the real one opens widest: real, then each model.
Needs ../shared/data (not shipped); about 1.5 CPU-minutes per checkpoint."""
import argparse, json
from itertools import islice
from pathlib import Path
import cv2
import numpy as np
from mobileportrait.animate import animate
from mobileportrait.audio_train import opening_range
from mobileportrait.evaluate import Scorer
from mobileportrait.face_knowledge import mouth_opening
from mobileportrait.losses import MOUTH
from mobileportrait.model import load_model
import torch

CLIPS = ('lipnet/GRID_bbaf2n', 'liveportrait/d12', 'pc-avs/Pose_Source_00067', 'sadtalker/WDA_BobMenendez_000',
         'sadtalker/WDA_KatieHill_000', 'video-retalking/face_1')   # the held-out speakers of results/audio.md

def mouth_shot(img: np.ndarray, lmk: np.ndarray, side: int = 128) -> np.ndarray:  # (256, 256, 3), (68, 2) px
    "The square around the mouth (twice its width), resized to side²."
    c, w = lmk[MOUTH].mean(0), np.ptp(lmk[MOUTH, 0])
    x0, y0 = np.clip((c - w).astype(int), 0, 255); x1, y1 = np.clip((c + w).astype(int), 1, 256)
    return cv2.resize(np.ascontiguousarray(img[y0:y1, x0:x1]), (side, side), interpolation=cv2.INTER_CUBIC)

def score_clip(model, scorer: Scorer, video: str, frames: int, shots: dict) -> dict:
    ref = scorer.reference(video, 256, frames)
    pred = list(islice(animate(ref['source_png'], ref['driving'], model=model, relative=False, crop=False, size=256),
                       len(ref['real'])))
    lp, lr = scorer.landmarks(pred), ref['landmarks'][:len(pred)]
    ok = ~np.isnan(lp[:, 0, 0]) & ~np.isnan(lr[:, 0, 0])
    og, orl = mouth_opening(lp[ok]), mouth_opening(lr[ok])
    i = np.flatnonzero(ok)[orl.argmax()]                       # the frame where the real mouth opens widest
    shots.setdefault('real', []).append(mouth_shot(ref['real'][i], lr[i]))
    shots['model'] = mouth_shot(pred[i], lr[i])
    return {'range_ratio': opening_range(og) / opening_range(orl), 'corr': float(np.corrcoef(og, orl)[0, 1]),
            'mean_opening_ratio': float(og.mean() / orl.mean()), 'face_found': float(ok.mean())}

ap = argparse.ArgumentParser()
ap.add_argument('models', nargs='+'); ap.add_argument('--out', default='results/mouth_range.json')
ap.add_argument('--data', default='../shared/data'); ap.add_argument('--frames', type=int, default=100)
ap.add_argument('--jpg', default=None)
a = ap.parse_args()
torch.set_num_threads(1)   # one core (the other may be training)
out, scorer = Path(a.out), Scorer()
res, columns = (json.loads(out.read_text()) if out.exists() else {}), {}
for spec in a.models:
    name, ck = spec.split('=', 1)
    model, shots, clips = load_model(ck).eval(), {}, {}
    for c in CLIPS:
        clips[c] = score_clip(model, scorer, f'{a.data}/{c}.mp4', a.frames, shots)
        columns.setdefault(name, []).append(shots['model'])
    columns.setdefault('real', shots['real'])
    mean = {k: float(np.mean([r[k] for r in clips.values()])) for k in next(iter(clips.values()))}
    res[name] = {'checkpoint': ck, 'frames': a.frames, 'clips': clips, 'mean': mean}
    print(name, {k: round(v, 3) for k, v in mean.items()}, flush=True)
    out.write_text(json.dumps(res, indent=1))
if a.jpg:
    grid = np.concatenate([np.concatenate(col, 0) for col in [columns.pop('real'), *columns.values()]], 1)
    cv2.imwrite(a.jpg, cv2.cvtColor(grid, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    print(f"{a.jpg}: columns real, {', '.join(columns)}; rows {', '.join(CLIPS)}")
