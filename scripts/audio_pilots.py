"""Audio -> mouth recipe pilots (issue 25): one ensemble member, `steps` steps, one seed, scored at the landmark level
on the held-out people's talking clips. The protocol of results/audio.md's "six pilots" (session 14), with data
augmentation added: speed perturbation (`sp`: every training clip also at 0.9x and 1.1x speed, sound and mouth
resampled together) and a mel-frequency warp with a frequency mask per batch (`warp`, VTLP/SpecAugment-like).

    python scripts/audio_pilots.py KIND STEPS SEED

KIND: base, sp, warp, sp+warp, bi, ph, ema0.98, cfg:hidden=128 ...

`ema0.98`: early stopping (and the result) on an exponential moving average of the weights. `ph`: the network also
reads the phones pocketsphinx hears (`AudioConfig.phones`, notebook 12). `+trace` (e.g.
base+trace) also scores the held-out clips at every early-stopping check (gain calibrated on the stopping clips as at
the end): the correlation and LMD along training, in the row's `trace`.
"""
import sys, glob, json, time
from dataclasses import replace
import numpy as np, torch, torch.nn as nn
from scipy.signal import resample_poly
torch.set_num_threads(1)
import mobileportrait.audio as A, mobileportrait.audio_train as AT
from mobileportrait.audio_eval import speaker_split, evaluate_speakers_landmarks, _people
from mobileportrait.audio_train import load_audio_data, train_audio
from mobileportrait.train import validation_split

SPEEDS = {0.9: (10, 9), 1.1: (10, 11)}   # speed factor -> resample_poly (up, down): 0.9x speed = 10/9 as many samples

def _resample_track(y: np.ndarray, n: int) -> np.ndarray:  # (m, k) -> (n, k), linear in time
    t = np.linspace(0, len(y) - 1, n)
    return np.stack([np.interp(t, np.arange(len(y)), y[:, j]) for j in range(y.shape[1])], 1).astype(np.float32)

def speed_targets(orig):
    "Wrap `_mouth_targets` so each clip also appears at 0.9x and 1.1x speed (pitch moves with it, as sox's speed)."
    def wrapped(cfg, data, names, lm, tracks):
        names, _, wins, mouth = orig(cfg, data, names, lm, tracks)
        level = (lambda w: A.normalize_loudness(w, cfg.loudness)) if cfg.loudness else (lambda w: w)
        out_names = list(names)
        for k in names:
            for f, (up, down) in SPEEDS.items():
                wav = resample_poly(data[k]['wav'], up, down).astype(np.float32)
                n = int(round(len(mouth[k]) / f)); key = f'{k}@{f}'
                wins[key] = A.mel_windows(A.log_mel(level(wav)), n).astype(np.float32)
                mouth[key] = _resample_track(mouth[k], n); out_names.append(key)
        w = np.array([len(mouth[k]) for k in out_names], np.float64)
        return out_names, w / w.sum(), wins, mouth
    return wrapped

def warp_batch(orig, max_warp=0.1, max_mask=8):
    "Wrap `_batch`: each sequence's mel axis stretched by a random factor in 1 ± `max_warp`, and one band masked."
    def wrapped(rng, names, weights, wins, mouth, cfg):
        x, y = orig(rng, names, weights, wins, mouth, cfg)       # (B, L, 16, 80), (B, L, k)
        m = x.shape[-1]; grid = np.arange(m, dtype=np.float32)
        out = x.clone()
        for b in range(x.shape[0]):
            src = np.clip(grid * rng.uniform(1 - max_warp, 1 + max_warp), 0, m - 1)
            i0 = np.floor(src).astype(int); i1 = np.minimum(i0 + 1, m - 1); w = torch.from_numpy(src - i0).float()
            out[b] = x[b][..., i0] * (1 - w) + x[b][..., i1] * w
            width = rng.integers(0, max_mask + 1); start = rng.integers(0, m - width + 1)
            out[b][..., start:start + width] = out[b].mean()
        return out, y
    return wrapped

class Bi(A.AudioToMouth):
    def __init__(self, cfg):
        super().__init__(cfg)
        self.lstm = nn.LSTM(cfg.hidden, cfg.hidden // 2, batch_first=True, bidirectional=True)

def trace_scores(data: dict, val, trace: list):
    "Wrap `_stop_score`: each check during training also calibrates a copy and scores the held-out clips."
    import copy
    orig, busy = AT._stop_score, [False]
    def wrapped(models, refs, on):
        v = orig(models, refs, on)
        if busy[0]: return v
        busy[0] = True
        try:
            m = copy.copy(models); AT.calibrate_range(m, refs)
            ev = evaluate_speakers_landmarks(m, data, val)['mean']
            trace.append({'stop': round(v, 4), 'corr': round(ev['model']['corr'], 4),
                          'lmd': round(ev['model']['lmd'], 5),
                          'static_lmd': round(ev['static']['lmd'], 5)})
        finally: busy[0] = False
        return v
    return wrapped

def main(kind: str, steps: int, seed: int):
    parts = kind.split('+')
    if 'sp' in parts: AT._mouth_targets = speed_targets(AT._mouth_targets)
    if 'warp' in parts: AT._batch = warp_batch(AT._batch)
    if 'bi' in parts: AT.AudioToMouth = Bi
    # ema0.98: the package's `AudioConfig.ema` (the session-15 rows came from this script's own copy, which gave the
    # same numbers: seed 0, 600 steps, corr. 0.3185 both ways)
    parts += [f'cfg:ema={p[3:]}' for p in parts if p.startswith('ema')]
    # ph: the package's `AudioConfig.phones` (the session-16 rows came from this script's own copy, which gave the
    # same features and weights)
    parts += ['cfg:phones=1'] * ('ph' in parts)
    files = sorted(glob.glob('data/audio256/*.npz'))
    data, people = load_audio_data(files), _people('../shared/data')
    held_people = set(validation_split().values())
    sp = speaker_split(data, people, held_people, 4)
    cfg = replace(A.load_audio_models('audio_tiny256').cfg, ensemble=1, steps=steps, seed=seed, val_speaker='',
                  stop_clips=tuple(sp['stop']))
    for p in parts:
        if p.startswith('cfg:'):   # e.g. cfg:hidden=128
            k, v = p[4:].split('='); cfg = replace(cfg, **{k: type(getattr(cfg, k))(v)})
    held = tuple(k for k in data if people.get(k, k) in held_people)
    trace = []
    if 'trace' in parts: AT._stop_score = trace_scores(data, sp['val'], trace)
    t0 = time.time()
    m = train_audio(files, f'runs/audio_pilots/{kind}_{steps}_{seed}.safetensors', cfg, val=held, threads=1,
                    progress=False, nk_steps=0)
    ev = evaluate_speakers_landmarks(m, data, sp['val'])
    row = {'kind': kind, 'steps': steps, 'seed': seed, 'minutes': round((time.time() - t0) / 60, 1),
           'gain': round(m.gain, 2),
           **{w: {k: round(v, 4) for k, v in ev['mean'][w].items()} for w in ('model', 'static')},
           'per_clip_corr': {k: round(v['model']['corr'], 4) for k, v in ev.get('clips', {}).items()},
           # the checks during training; calibration's calls to `_stop_score` come after them
           **({'trace': trace[:steps // cfg.val_every + 1]} if trace else {})}
    print(json.dumps(row), flush=True)

if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
