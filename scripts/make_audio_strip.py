"""README's speaking strip and notebook 12a's opening figure: the bundled portrait s42.jpg (in no training clip)
speaks the sound of a held-out person's clip (validation person p011, `sadtalker/WDA_KatieHill_000.mp4`).

    python scripts/make_audio_strip.py [AUDIO_MODELS] [--video ../shared/data/sadtalker/WDA_KatieHill_000.mp4]

docs/audio_strip.jpg: 8 frames in time order, the 3 quietest and the 5 loudest (spaced ≥ 6 frames apart), each labelled
with its time and loudness, and below them the same frames zoomed on the mouth.
docs/audio_opening.png: the rendered mouth's opening (dlib) beside the real speaker's opening (dlib on her video)
and the loudness, over the clip.
"""
import sys
from pathlib import Path
import cv2
import numpy as np

TILE, ZOOM = 128, 80   # tile side; side of the mouth window (px of the 256² frame) zoomed in the second row

def _spaced(order, n, gap=6, taken=()):
    "The first `n` frame indices in `order` at least `gap` frames from each other and from `taken`."
    out = list(taken)
    for i in order:
        if all(abs(int(i) - j) >= gap for j in out): out.append(int(i))
        if len(out) - len(taken) == n: break
    return out[len(taken):]

def strip(audio_models, video, out_dir='docs'):
    from mobileportrait.audio import animate_audio, load_audio, SR
    from mobileportrait.lipsync import audio_envelope
    from mobileportrait.face_knowledge import mouth_opening, track_landmarks, track_video
    from mobileportrait.video import samples_dir
    wav = load_audio(video)
    frames = list(animate_audio(samples_dir()/'portraits/s42.jpg', video, audio_models=audio_models))
    env = audio_envelope(wav, SR, len(frames))
    quiet = _spaced(np.argsort(env), 3); loud = _spaced(np.argsort(-env), 5, taken=quiet)
    lmk = track_landmarks(frames)                                   # (n, 68, 2) px of the rendered frames
    mouth = np.nanmedian(lmk[:, 48:68], (0, 1))                     # the mouth's centre, for the zoomed row
    tiles, zooms = [], []
    for i in sorted(quiet + loud):
        t = cv2.resize(frames[i], (TILE, TILE), interpolation=cv2.INTER_AREA).copy()
        label = f"{i / 25:.2f}s {'quiet' if i in quiet else 'loud'}"
        cv2.putText(t, label, (3, TILE - 6), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (255, 255, 255), 1, cv2.LINE_AA)
        x, y = np.clip(mouth - ZOOM / 2, 0, frames[i].shape[0] - ZOOM).astype(int)
        zooms.append(cv2.resize(frames[i][y:y + ZOOM, x:x + ZOOM], (TILE, TILE), interpolation=cv2.INTER_CUBIC))
        tiles.append(t)
    Path(out_dir).mkdir(exist_ok=True)
    img = np.concatenate([np.concatenate(tiles, 1), np.concatenate(zooms, 1)], 0)
    cv2.imwrite(f'{out_dir}/audio_strip.jpg', cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    gen = mouth_opening(lmk)
    real = mouth_opening(track_video(video)['landmarks'])[:len(gen)]
    return _plot(gen, real, env, f'{out_dir}/audio_opening.png'), {'quiet': quiet, 'loud': loud,
            'opening_quiet': float(np.nanmean(gen[quiet])), 'opening_loud': float(np.nanmean(gen[loud]))}

def _plot(gen, real, env, out):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    t = np.arange(len(gen)) / 25
    fig, ax = plt.subplots(figsize=(7, 2.2), dpi=90)
    ax.plot(t, real, label="real speaker's opening (her video)", color='tab:gray')
    ax.plot(t, gen, label='s42.jpg speaking her sound (rendered, dlib)', color='tab:red')
    ax2 = ax.twinx(); ax2.fill_between(t, env, alpha=0.2, color='tab:blue'); ax2.set_yticks([])
    ax.set_xlabel('s'); ax.set_ylabel('lip gap / eye dist.'); ax.legend(fontsize=7, loc='upper right')
    fig.tight_layout(); fig.savefig(out); plt.close(fig)
    return out

if __name__ == '__main__':
    a = sys.argv[1:]
    video = a[a.index('--video') + 1] if '--video' in a else '../shared/data/sadtalker/WDA_KatieHill_000.mp4'
    positional = [x for i, x in enumerate(a) if not x.startswith('--') and (i == 0 or a[i - 1] != '--video')]
    models = positional[0] if positional else 'audio_tiny256'
    print(strip(models, video))
