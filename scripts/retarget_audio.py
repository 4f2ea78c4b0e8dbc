"""Retarget the shipped audio models to another video model (issue 20/25): the sketch -> NK network is distilled again
from that model's keypoint detector, then the held-out speakers are scored on rendered video as in `train-audio`.
    python scripts/retarget_audio.py VIDEO_CHECKPOINT OUT [--data DIR] [--videos ../shared/data]
    python scripts/retarget_audio.py VIDEO_CHECKPOINT AUDIO_MODELS --eval_only --calibrate_rendered SAVE
The second form keeps the models' networks, sets their articulation gain through the renderer on the early-stopping
people (`calibrate_rendered`, notebook 12a), saves them to SAVE and scores them.
Needs `../shared/data` (not shipped) and about 15 + 10 CPU-minutes on one core."""
import argparse, json, time
from pathlib import Path
import torch
from mobileportrait.audio import load_audio_models, AUDIO_WEIGHTS
from mobileportrait.audio_train import build_audio_data, load_audio_data, retarget_audio
from mobileportrait.audio_eval import (speech_tracks, speaker_split, _people, _face_fraction,
                                       evaluate_speakers_landmarks, evaluate_speakers_rendered, calibrate_rendered)
from mobileportrait.model import load_model
from mobileportrait.train import validation_split

ap = argparse.ArgumentParser()
ap.add_argument('checkpoint'); ap.add_argument('out')
ap.add_argument('--data', default='data/audio256_retarget'); ap.add_argument('--videos', default='../shared/data')
ap.add_argument('--audio_models', default=AUDIO_WEIGHTS); ap.add_argument('--render_frames', type=int, default=100)
ap.add_argument('--steps', type=int, default=None, help='sketch -> NK steps (default: as trained)')
ap.add_argument('--eval_only', action='store_true', help='score the models already at OUT (after a code change)')
ap.add_argument('--eval_out', default=None, help='where the scores go (default: OUT.eval.json or SAVE.eval.json)')
ap.add_argument('--calibrate_rendered', default=None, metavar='SAVE',
                help='set the gain on rendered video (early-stopping people), save the models here')
a = ap.parse_args()
torch.set_num_threads(1)
t0 = time.time()
old = load_audio_models(a.audio_models)
files = build_audio_data(a.videos, a.data, a.checkpoint)
people = _people(a.videos)
held = sorted(k for k in load_audio_data(files) if people.get(k, k) in set(validation_split().values()))
models = (load_audio_models(a.out) if a.eval_only else
          retarget_audio(old, files, a.checkpoint, a.out, exclude=held, steps=a.steps))
print(f'retargeted in {(time.time() - t0) / 60:.1f} min')
data = load_audio_data(files)
sp = speaker_split(data, people, set(validation_split().values()))
pool = speech_tracks(a.videos, decoded=True)
pool_wavs = [w for _, w in pool]
frac, video = _face_fraction(data, sp['train']), load_model(a.checkpoint)
cal = None
if a.calibrate_rendered:
    cal = calibrate_rendered(models, data, sp['stop'], video, a.render_frames, frac)
    models.save(a.calibrate_rendered)
    print(f"rendered calibration: gain {cal['rounds'][0]['gain']:.2f} -> {models.gain:.2f}")
ev = {'retarget_minutes': round((time.time() - t0) / 60, 1), 'split': sp, 'gain': models.gain,
      'rendered_calibration': cal,
      'landmarks': evaluate_speakers_landmarks(models, data, sp['val'], pool_wavs),
      'rendered': evaluate_speakers_rendered(models, data, sp['val'], video, a.render_frames, pool_wavs, frac=frac,
                                             progress=True)}
Path(a.eval_out or Path(a.calibrate_rendered or a.out).with_suffix('.eval.json')).write_text(json.dumps(ev, indent=1))
print(json.dumps({k: ev['rendered'][k] for k in ev['rendered'] if k != 'clips'}, indent=1)[:3000])
