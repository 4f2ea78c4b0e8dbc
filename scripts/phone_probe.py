"""How much of the mouth's opening do loudness and phones predict, linearly? (issue 25; results/audio.md)

    python scripts/phone_probe.py          # writes results/phone_probe.json
    python scripts/phone_probe.py words    # writes results/phone_probe_words.json

Per talking clip of data/audio256: the real inner-lip opening (`mouth_opening`, Savitzky-Golay 5), the loudness
envelope under each frame (`audio_envelope`) and the phones pocketsphinx hears (`phone_labels` of the loudness-
levelled track, one-hot, the phone at each frame's time). A ridge regression from each feature set (with ±`r` frames
of context) is fitted on the training people and scored, as the correlation of its prediction (3-frame mean) with the
real opening, on (a) the validation people's clips and (b) 6 person-disjoint folds over all talking clips, as
`scripts/audio_cv.py` deals them. No network: this asks what the features carry, not what a model learns.
`words`: the phones of pocketsphinx's *word* decoder (its English language model and CMUdict, also in its wheel),
force-aligned to the sound (`word_phones`), beside the all-phone decoder's that the shipped models read.
"""
import json, glob
import numpy as np
from scipy.signal import savgol_filter
import sys
from mobileportrait.audio import PHONES, SR, MEL_FPS, phone_labels, normalize_loudness, PhoneStream
from mobileportrait.audio_train import load_audio_data
from mobileportrait.audio_eval import speaker_split, person_folds, _people
from mobileportrait.face_knowledge import mouth_opening
from mobileportrait.lipsync import audio_envelope
from mobileportrait.train import validation_split

_WORD_DECODER = []

def word_phones(wav: np.ndarray) -> np.ndarray:  # (n,) 16 kHz -> (n // 160 + 2,) phone index per 10 ms
    """Decode words, then align that text to the sound phone by phone. Where the alignment fails (pocketsphinx: "Failed
    to stop utterance processing", 11 of the 45 talking clips) or no word is heard, the all-phone decoder's labels."""
    import re
    from pocketsphinx import Decoder
    if not _WORD_DECODER: _WORD_DECODER.append(Decoder(samprate=SR, loglevel='FATAL'))
    d, raw = _WORD_DECODER[0], (np.clip(wav, -1, 1) * 32767).astype(np.int16).tobytes()
    ps = np.zeros(len(wav) // 160 + 2, np.int64)
    d.activate_search(); d.start_utt(); d.process_raw(raw, full_utt=True); d.end_utt()
    words = [re.sub(r'\(\d+\)$', '', w) for w in (d.hyp().hypstr.split() if d.hyp() is not None else [])]
    try:
        if not words: raise RuntimeError('no words')
        d.set_align_text(' '.join(words)); d.start_utt(); d.process_raw(raw, full_utt=True); d.end_utt()
        d.set_alignment(); d.start_utt(); d.process_raw(raw, full_utt=True); d.end_utt()
        for ph in d.get_alignment().phones():
            if ph.name in PHONES: ps[ph.start:ph.start + ph.duration] = PHONES.index(ph.name)
    except RuntimeError:
        s = PhoneStream(wav); s.upto(s.T); ps = s.ps                    # every piece searched
    d.activate_search()
    return ps

_WORD_CACHE = {}

def features(d: dict, kind: str, r: int) -> np.ndarray:  # -> (n, d) with ±r frames of context and a bias column
    n = len(d['landmarks']); wav = normalize_loudness(d['wav'])
    env = audio_envelope(wav, SR, n); env = (env / (env.max() + 1e-8))[:, None]
    lab = phone_labels(wav)[np.minimum((np.arange(n) * MEL_FPS / 25).astype(int), len(wav) // 200)]
    if 'word' in kind and id(d) not in _WORD_CACHE: _WORD_CACHE[id(d)] = word_phones(wav)
    wl = _WORD_CACHE[id(d)][np.minimum(np.arange(n) * 100 // 25, len(wav) // 160)] if 'word' in kind else None
    E = lambda l: np.eye(len(PHONES))[l]
    x = {'loudness': lambda: env, 'phones': lambda: E(lab), 'both': lambda: np.c_[env, E(lab)],
         'word phones': lambda: E(wl), 'phones + word phones': lambda: np.c_[E(lab), E(wl)]}[kind]()
    return with_context(x, r)

def with_context(x: np.ndarray, r: int) -> np.ndarray:  # (n, d) -> (n, (2r + 1) d + 1): ±r frames, edge-padded, bias
    n, xp = len(x), np.pad(x, ((r, r), (0, 0)), mode='edge')
    return np.c_[np.concatenate([xp[i:i + n] for i in range(2 * r + 1)], 1), np.ones(n)]

def target(d: dict) -> np.ndarray:  # (n,) the real opening, standardised
    op = savgol_filter(mouth_opening(d['landmarks']), 5, 2)
    return (op - op.mean()) / (op.std() + 1e-8)

def fit_score(data: dict, train, test, kind: str, r: int, lam: float = 100.0) -> list:
    X = np.concatenate([features(data[k], kind, r) for k in train])
    Y = np.concatenate([target(data[k]) for k in train])
    w = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ Y)
    pred = lambda k: np.convolve(features(data[k], kind, r) @ w, np.ones(3) / 3, 'same')
    return [float(np.corrcoef(pred(k), target(data[k]))[0, 1]) for k in test]

def main():
    data, people = load_audio_data(sorted(glob.glob('data/audio256/*.npz'))), _people('../shared/data')
    sp = speaker_split(data, people, set(validation_split().values()), 4)
    talking, out = sorted(sp['val'] + sp['stop'] + sp['train']), {'clips': len(sp['val'] + sp['stop'] + sp['train'])}
    words = sys.argv[1:] == ['words']
    kinds = ('phones', 'word phones', 'phones + word phones') if words else ('loudness', 'phones', 'both')
    for kind in kinds:
        for r in ((0, 2) if words else (0, 1)):
            val = fit_score(data, sp['train'] + sp['stop'], sp['val'], kind, r)
            folds = [float(np.mean(fit_score(data, [k for k in talking if k not in f], f, kind, r)))
                     for f in person_folds(talking, people, 6)]
            out[f'{kind}, context ±{r}'] = {'validation_people': round(float(np.mean(val)), 3),
                                            'cv_folds': [round(x, 3) for x in folds],
                                            'cv': round(float(np.mean(folds)), 3)}
            print(kind, r, out[f'{kind}, context ±{r}'], flush=True)
    name = 'results/phone_probe_words.json' if words else 'results/phone_probe.json'
    open(name, 'w').write(json.dumps(out, indent=1))

if __name__ == '__main__':
    main()
