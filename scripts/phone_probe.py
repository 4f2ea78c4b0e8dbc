"""How much of the mouth's opening do loudness and phones predict, linearly? (issue 25; results/audio.md)

    python scripts/phone_probe.py      # writes results/phone_probe.json

Per talking clip of data/audio256: the real inner-lip opening (`mouth_opening`, Savitzky-Golay 5), the loudness
envelope under each frame (`audio_envelope`) and the phones pocketsphinx hears (`phone_labels` of the loudness-
levelled track, one-hot, the phone at each frame's time). A ridge regression from each feature set (with ±`r` frames
of context) is fitted on the training people and scored, as the correlation of its prediction (3-frame mean) with the
real opening, on (a) the validation people's clips and (b) 6 person-disjoint folds over all talking clips, as
`scripts/audio_cv.py` deals them. No network: this asks what the features carry, not what a model learns.
"""
import json, glob
import numpy as np
from scipy.signal import savgol_filter
from mobileportrait.audio import PHONES, SR, MEL_FPS, phone_labels, normalize_loudness
from mobileportrait.audio_train import load_audio_data
from mobileportrait.audio_eval import speaker_split, person_folds, _people
from mobileportrait.lipsync import mouth_opening, audio_envelope
from mobileportrait.train import validation_split

def features(d: dict, kind: str, r: int) -> np.ndarray:  # -> (n, d) with ±r frames of context and a bias column
    n = len(d['landmarks']); wav = normalize_loudness(d['wav'])
    env = audio_envelope(wav, SR, n); env = (env / (env.max() + 1e-8))[:, None]
    lab = phone_labels(wav)[np.minimum((np.arange(n) * MEL_FPS / 25).astype(int), len(wav) // 200)]
    x = {'loudness': env, 'phones': np.eye(len(PHONES))[lab], 'both': np.c_[env, np.eye(len(PHONES))[lab]]}[kind]
    xp = np.pad(x, ((r, r), (0, 0)), mode='edge')
    return np.c_[np.concatenate([xp[i:i + n] for i in range(2 * r + 1)], 1), np.ones(n)]

def target(d: dict) -> np.ndarray:  # (n,) the real opening, standardised
    op = savgol_filter(mouth_opening(d['landmarks']), 5, 2)
    return (op - op.mean()) / (op.std() + 1e-8)

def fit_score(data: dict, train, test, kind: str, r: int, lam: float = 100.0) -> list:
    X = np.concatenate([features(data[k], kind, r) for k in train]); Y = np.concatenate([target(data[k]) for k in train])
    w = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ Y)
    pred = lambda k: np.convolve(features(data[k], kind, r) @ w, np.ones(3) / 3, 'same')
    return [float(np.corrcoef(pred(k), target(data[k]))[0, 1]) for k in test]

def main():
    data, people = load_audio_data(sorted(glob.glob('data/audio256/*.npz'))), _people('../shared/data')
    sp = speaker_split(data, people, set(validation_split().values()), 4)
    talking, out = sorted(sp['val'] + sp['stop'] + sp['train']), {'clips': len(sp['val'] + sp['stop'] + sp['train'])}
    for kind in ('loudness', 'phones', 'both'):
        for r in (0, 1):
            val = fit_score(data, sp['train'] + sp['stop'], sp['val'], kind, r)
            folds = [float(np.mean(fit_score(data, [k for k in talking if k not in f], f, kind, r)))
                     for f in person_folds(talking, people, 6)]
            out[f'{kind}, context ±{r}'] = {'validation_people': round(float(np.mean(val)), 3),
                                            'cv_folds': [round(x, 3) for x in folds], 'cv': round(float(np.mean(folds)), 3)}
            print(kind, r, out[f'{kind}, context ±{r}'], flush=True)
    open('results/phone_probe.json', 'w').write(json.dumps(out, indent=1))

if __name__ == '__main__':
    main()
