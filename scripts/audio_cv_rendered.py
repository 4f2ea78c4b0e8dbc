"""The cross-validation folds of issue 25 scored on rendered video, as the issue asks (the fold models of
`scripts/audio_cv.py` were scored at the landmark level only):

    python scripts/audio_cv_rendered.py [--folds 0 1 2] [--factor F] [--out runs/audio_cv/rendered_F.json]
    python scripts/audio_cv_rendered.py --merge runs/audio_cv/rendered_a.json runs/audio_cv/rendered_b.json ...

Each fold model (KEEP, default runs/audio_cv/ph: the shipped recipe's folds, listed in the shipped models'
`.eval.json` key `cv`) renders its fold's clips through `tiny256` as `evaluate_speakers_rendered` does for the held-out
people (first 100 frames; the still face, 2 mismatched tracks and the real landmarks beside it). The folds were trained
with `nk_steps=0`, so each borrows the shipped models' sketch -> NK network, which maps landmarks (not audio) to
`tiny256`'s keypoints. `--factor` scales each fold's learned gain. One core per process; ~10 CPU-min a fold.
"""
import argparse, glob, json
from pathlib import Path
import numpy as np, torch
from mobileportrait.audio import load_audio_models, AUDIO_WEIGHTS, WEIGHTS_DIR
from mobileportrait.audio_train import load_audio_data
from mobileportrait.audio_eval import (speaker_split, _people, _face_fraction, evaluate_speakers_rendered,
                                       speech_tracks)
from mobileportrait.model import load_model
from mobileportrait.train import validation_split

def score(folds, keep: Path, factor: float) -> dict:
    cv = json.loads((WEIGHTS_DIR/f'{AUDIO_WEIGHTS}.eval.json').read_text())['cv']
    data = load_audio_data(sorted(glob.glob('data/audio256/*.npz')))
    sp = speaker_split(data, _people('../shared/data'), set(validation_split().values()))
    frac, video, shipped = _face_fraction(data, sp['train']), load_model('tiny256'), load_audio_models(AUDIO_WEIGHTS)
    pool = [w for _, w in speech_tracks('../shared/data', decoded=True)]
    out = {}
    for i in folds:
        m = load_audio_models(keep/f'fold{i}.safetensors')
        m.sketch, m.gain = shipped.sketch, m.gain * factor
        ev = evaluate_speakers_rendered(m, data, cv['folds'][i]['clips'], video, 100, pool, frac=frac)
        out[str(i)] = {'gain': m.gain, 'mean': ev['mean'], 'clips': ev['clips']}
        print(i, {w: round(ev['mean'][w]['lmd'], 5) for w in ev['mean']}, flush=True)
    return out

def merge(paths) -> dict:
    folds = {k: v for p in paths for k, v in json.loads(Path(p).read_text())['folds'].items()}
    beats = lambda w: int(sum(f['mean']['model']['lmd'] < f['mean'][w]['lmd'] for f in folds.values()))
    mean = lambda w, k: float(np.mean([f['mean'][w][k] for f in folds.values()]))
    return {'folds': folds, 'wins': {f'lmd beats {w}': beats(w) for w in ('static', 'mismatched')},
            'mean_over_folds': {w: {k: round(mean(w, k), 5) for k in ('lmd', 'range_ratio', 'corr')}
                                for w in ('model', 'static', 'mismatched', 'real')}}

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--folds', type=int, nargs='*', default=list(range(6)))
    ap.add_argument('--factor', type=float, default=1.0); ap.add_argument('--keep', default='runs/audio_cv/ph')
    ap.add_argument('--out', default=None); ap.add_argument('--merge', nargs='*', default=None)
    a = ap.parse_args()
    torch.set_num_threads(1)
    if a.merge:
        res = merge(a.merge); Path(a.out).write_text(json.dumps(res, indent=1))
        print(res['wins'], json.dumps(res['mean_over_folds']))
    else:
        out = Path(a.out or f'runs/audio_cv/rendered_x{a.factor:g}.json')
        res = {'factor': a.factor, 'keep': a.keep, 'folds': score(a.folds, Path(a.keep), a.factor)}
        out.write_text(json.dumps(res, indent=1))
