"""Do formants tell the audio model how far the mouth opens? (issue 25; results/audio.md, "Formants")

    python scripts/formant_probe.py probe          # linear probe, writes results/formant_probe.json (~6 min)
    python scripts/formant_probe.py pilot SEED     # one audio-model pilot with formants, prints a JSON row (~3.5 min)

The first formant, F1, rises as the jaw and lips open (an open [a] has a high F1, a closed [i] or [u] a low one), so
it is the acoustic correlate of mouth opening that the shipped models' inputs (log-mel windows and pocketsphinx's
phones) carry only implicitly. `formant_track` estimates F1–F3 the classical way: Burg linear prediction of order 10
on the track resampled to 11 kHz, pre-emphasised from 50 Hz, in 50-ms Gaussian-like windows (Praat's defaults), the
formants being the angles of the predictor's complex roots; voicing from the autocorrelation divided by the window's
(Boersma 1993), with a loudness gate. Each formant is standardised over the track's voiced frames (speakers differ in
vocal-tract length), and the 8 features are: F1–F3 (0 when unvoiced), F1–F3 × voicing × loudness, voicing and
loudness.

`probe`: the ridge regression of scripts/phone_probe.py (same targets, folds and scoring) from loudness, phones,
formants, and formants + phones. With Praat installed (`pip install praat-parselmouth`; GPL, so not a dependency of
this Apache-licensed package) it adds the same 8 features from Praat's own Burg formants and pitch tracker.
`pilot`: scripts/audio_pilots.py's `ph` pilot (one member, 600 steps, the validation people at the landmark level)
with the 8 features appended to the phones of every mel frame of the window.
"""
import json, sys, warnings
import numpy as np
from scipy.signal import resample_poly
from mobileportrait.audio import SR, HOP, MEL_FPS, WIN, normalize_loudness

def _windows(x: np.ndarray, centres: np.ndarray, n: int) -> np.ndarray:  # (m,) -> (len(centres), n), edge-clamped
    idx = np.clip(centres[:, None] - n // 2 + np.arange(n)[None], 0, len(x) - 1)
    return x[idx]

def burg(frames: np.ndarray, order: int) -> np.ndarray:  # (m, L) -> (m, order + 1), a[:, 0] = 1
    "Burg's linear prediction, every frame at once: the reflection coefficient minimises forward + backward error."
    ef, eb = frames.copy(), frames.copy()
    a = np.zeros((len(frames), order + 1)); a[:, 0] = 1
    for i in range(order):
        f, b = ef[:, 1:], eb[:, :-1]
        k = -2 * (f * b).sum(1) / ((f * f).sum(1) + (b * b).sum(1) + 1e-12)
        a[:, 1:i + 2] = a[:, 1:i + 2] + k[:, None] * a[:, i::-1]
        ef, eb = f + k[:, None] * b, b + k[:, None] * f
    return a

def voicing(x: np.ndarray, centres: np.ndarray, fs: float, fmin: float = 75, fmax: float = 600) -> tuple:
    """Per window: the autocorrelation peak at pitch lags, divided by the window's own (Boersma 1993), and the peak
    level relative to the track's."""
    n = int(3 / fmin * fs); w = np.hanning(n)
    s = _windows(x, centres, n)
    level = np.abs(s).max(1) / (np.abs(x).max() + 1e-12)
    s = (s - s.mean(1, keepdims=True)) * w
    r = np.fft.irfft(np.abs(np.fft.rfft(s, 2 * n)) ** 2, 2 * n)[:, :n]
    rw = np.fft.irfft(np.abs(np.fft.rfft(w, 2 * n)) ** 2, 2 * n)[:n]
    r = (r / (r[:, :1] + 1e-12)) / (rw / rw[0])
    return r[:, int(fs / fmax):int(fs / fmin)].max(1), level

def formants(wav: np.ndarray, n: int, fps: float = 25, max_formant: float = 5500) -> tuple:
    "F1–F3 in Hz (n, 3) (NaN where fewer were found), log-RMS (n,) and voicing (n,) at `n` frames of `fps`, 16 kHz."
    fs = 2 * max_formant
    x0 = resample_poly(wav.astype(np.float64), int(fs), SR)
    x = np.append(x0[0], x0[1:] - np.exp(-2 * np.pi * 50 / fs) * x0[:-1])       # pre-emphasis from 50 Hz
    L = int(0.05 * fs); t = (np.arange(L) - (L - 1) / 2) / L
    centres = ((np.arange(n) + 0.5) / fps * fs).astype(int)
    A = burg(_windows(x, centres, L) * (np.exp(-12 * t ** 2) - np.exp(-3)), 10)
    F = np.full((n, 3), np.nan)
    for i, a in enumerate(A):
        z = np.roots(a); f = np.sort(np.angle(z[z.imag > 0]) * fs / (2 * np.pi))
        f = f[(f > 50) & (f < max_formant - 50)][:3]; F[i, :len(f)] = f
    loud = np.log(np.sqrt((_windows(x0, centres, L) ** 2).mean(1)) + 1e-6)
    v, level = voicing(x0, centres, fs)
    return F, loud, np.isfinite(F).all(1) & (v > 0.45) & (level > 0.1)

def formant_track(wav: np.ndarray, n: int, fps: float = 25) -> np.ndarray:  # (m,) 16 kHz -> (n, 8)
    "The 8 formant features (module docstring) at `n` frames of `fps`."
    return _features(*formants(wav, n, fps))

def _features(F: np.ndarray, loud: np.ndarray, voiced: np.ndarray) -> np.ndarray:  # (n, 3), (n,), (n,) -> (n, 8)
    lz = (loud - loud.mean()) / (loud.std() + 1e-6)
    fz = np.zeros_like(F)
    for j in range(3):
        if voiced.sum() > 5: fz[voiced, j] = (F[voiced, j] - F[voiced, j].mean()) / (F[voiced, j].std() + 1e-6)
    return np.c_[fz, fz * (voiced * lz)[:, None], voiced, lz].astype(np.float32)

def praat_track(wav: np.ndarray, n: int, fps: float = 25) -> np.ndarray:  # -> (n, 8), needs praat-parselmouth
    import parselmouth
    snd = parselmouth.Sound(wav.astype(np.float64), SR); t = (np.arange(n) + 0.5) / fps
    fm = snd.to_formant_burg(time_step=0.01, max_number_of_formants=5, maximum_formant=5500, window_length=0.025)
    F = np.array([[fm.get_value_at_time(k, ti) for k in (1, 2, 3)] for ti in t])
    pitch = snd.to_pitch(time_step=0.01); f0 = np.array([pitch.get_value_at_time(ti) for ti in t])
    inten = snd.to_intensity(time_step=0.01); loud = np.array([inten.get_value(ti) for ti in t])
    loud = np.nan_to_num(loud, nan=np.nanmin(loud))
    return _features(F, loud, np.isfinite(f0) & np.isfinite(F).all(1))

def probe():
    sys.path.insert(0, 'scripts')
    import phone_probe as pp
    from mobileportrait.audio_train import load_audio_data
    from mobileportrait.audio_eval import speaker_split, person_folds, _people
    from mobileportrait.train import validation_split
    import glob
    plain, cache = pp.features, {}
    def track(d, kind):
        key = (id(d), kind)
        if key not in cache:
            f = praat_track if kind == 'praat' else formant_track
            cache[key] = f(normalize_loudness(d['wav']), len(d['landmarks']))
        return cache[key]
    def features(d, kind, r):
        if kind in ('loudness', 'phones'): return plain(d, kind, r)
        src = 'praat' if 'praat' in kind else 'lpc'
        x = track(d, src) if 'phones' not in kind else np.c_[track(d, src), plain(d, 'phones', 0)[:, :-1]]
        return pp.with_context(x, r)
    pp.features = features
    data, people = load_audio_data(sorted(glob.glob('data/audio256/*.npz'))), _people('../shared/data')
    sp = speaker_split(data, people, set(validation_split().values()), 4)
    talking = sorted(sp['val'] + sp['stop'] + sp['train'])
    kinds = ['loudness', 'phones', 'formants', 'formants + phones']
    try:
        import parselmouth  # noqa: F401
        kinds += ['praat formants', 'praat formants + phones']
    except ImportError: print('praat-parselmouth not installed: the Praat rows are skipped')
    out = {'clips': len(talking)}
    for kind in kinds:
        for r in (0, 2):
            out[f'{kind}, context ±{r}'] = _scores(pp.fit_score, data, sp, person_folds(talking, people, 6), kind, r)
            print(kind, r, out[f'{kind}, context ±{r}'], flush=True)
    open('results/formant_probe.json', 'w').write(json.dumps(out, indent=1))

def _scores(fit_score, data: dict, sp: dict, folds: list, kind: str, r: int) -> dict:
    "phone_probe's ridge fit: on the validation people (trained on the rest) and over person-disjoint folds."
    val = fit_score(data, sp['train'] + sp['stop'], sp['val'], kind, r)
    talking = sorted(k for f in folds for k in f)
    cv = [float(np.mean(fit_score(data, [k for k in talking if k not in f], f, kind, r))) for f in folds]
    return {'validation_people': round(float(np.mean(val)), 3),
            'per_clip': dict(zip(sp['val'], [round(v, 3) for v in val])),
            'cv_folds': [round(x, 3) for x in cv], 'cv': round(float(np.mean(cv)), 3)}

def pilot(seed: int):
    "scripts/audio_pilots.py's `ph` pilot with the formant features beside the phones of each mel frame."
    import torch.nn as nn
    import mobileportrait.audio as A, mobileportrait.audio_train as AT
    sys.path.insert(0, 'scripts')
    import audio_pilots
    tracks, loading = {}, [False]
    def per_mel(wav):  # (n,) -> (T, 8), T = len(log_mel(wav)); keyed by content, as the pilot passes copies
        key = (len(wav), float(np.abs(wav[::997]).sum()))
        if key not in tracks: tracks[key] = formant_track(wav, len(wav) // HOP + 1, MEL_FPS)
        return tracks[key]
    windows, chunk, init, load = A.audio_windows, A._phone_window_chunk, A.AudioToMouth.__init__, A.load_audio_models
    def audio_windows(wav, n_frames, fps=25, phones=False):
        w = windows(wav, n_frames, fps, phones)
        return np.concatenate([w, A.mel_windows(per_mel(wav), n_frames, fps)], -1) if phones else w
    def phone_window_chunk(ps, i0, i1, fps=25):   # frames i0..i1 of `mel_windows` over the whole track's features
        return np.concatenate([chunk(ps, i0, i1, fps), A.mel_windows(per_mel(ps.wav), i1, fps)[i0:]], -1)
    def a2m_init(self, cfg=A.AudioConfig()):
        init(self, cfg)
        if cfg.phones and not loading[0]: self.ph = nn.Linear(WIN * (len(A.PHONES) + 8), cfg.hidden)
    def load_models(*a, **k):      # the shipped models (read for their config) keep their own input size
        loading[0] = True
        try: return load(*a, **k)
        finally: loading[0] = False
    A.audio_windows = AT.audio_windows = audio_windows
    A._phone_window_chunk, A.AudioToMouth.__init__, A.load_audio_models = phone_window_chunk, a2m_init, load_models
    audio_pilots.main('ph+formants', 600, seed)

if __name__ == '__main__':
    warnings.filterwarnings('ignore')
    if sys.argv[1:2] == ['probe']: probe()
    elif sys.argv[1:2] == ['pilot']: pilot(int(sys.argv[2]))
    else: sys.exit(__doc__)
