"""How much of a mouth's motion the video model renders, and the shipped audio models at a larger gain (issue 25;
results/audio.md, "The folds on rendered video, a gain for the renderer, word phones"):

    python scripts/render_transfer.py transfer stop|train    # real landmarks through tiny256 -> rendered / real range
    python scripts/render_transfer.py eval GAIN [FRAMES]     # held-out people, rendered, at articulation gain GAIN
    ... [--video CKPT [--name NAME]]                          # through another renderer (same keypoints as tiny256)

`transfer`: each clip of the audio split's early-stopping (`stop`) or training (`train`) people, its first 100 real
landmarks rendered from its closed-mouth frame as `evaluate_speakers_rendered`'s `real` row, tracked by dlib: the
p5-p95 opening range of the rendered mouth over the real one. `eval`: `evaluate_speakers_rendered` of the shipped
models with their gain set to GAIN. Writes results/audio_phones/transfer_SPLIT.json or rendered_gainGAIN_FRAMES.json
(with `--video`: NAME_transfer_SPLIT.json, NAME_rendered_gainGAIN_FRAMES.json; NAME defaults to the file's stem).
One core; ~15 s a clip for `transfer`, ~8 min for `eval` at 100 frames.
"""
import argparse, glob, json
from pathlib import Path
import numpy as np, torch
from mobileportrait.audio import load_audio_models, AUDIO_WEIGHTS, CROP
from mobileportrait.audio_train import load_audio_data, opening_range
from mobileportrait.audio_eval import (speaker_split, _people, _face_fraction, _ClipRender, evaluate_speakers_rendered,
                                       speech_tracks)
from mobileportrait.face_knowledge import mouth_opening
from mobileportrait.model import load_model
from mobileportrait.train import validation_split

def transfer(am, data, clips, video, frac) -> dict:
    out = {}
    for k in clips:
        c = _ClipRender(am, data[k], video, frac, 100)
        got, found = c.render(c.real * (video.cfg.image_size / CROP))
        out[k] = {'transfer': opening_range(mouth_opening(got)) / opening_range(mouth_opening(c.real)), 'found': found}
        print(k, out[k], flush=True)
    return {'clips': out, 'median': float(np.median([v['transfer'] for v in out.values()]))}

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('what', choices=['transfer', 'eval'])
    p.add_argument('arg', help="transfer: stop or train; eval: the articulation gain")
    p.add_argument('frames', nargs='?', type=int, default=100, help="eval: frames per clip")
    p.add_argument('--video', default='tiny256', help="the renderer (its keypoints must be tiny256's)")
    p.add_argument('--name', help="prefix of the result file (default: the renderer file's stem, none for tiny256)")
    a = p.parse_args()
    name = a.name or ('' if a.video == 'tiny256' else Path(a.video).stem)
    name = name + '_' if name else ''
    torch.set_num_threads(1)
    data = load_audio_data(sorted(glob.glob('data/audio256/*.npz')))
    sp = speaker_split(data, _people('../shared/data'), set(validation_split().values()))
    frac, video, am = _face_fraction(data, sp['train']), load_model(a.video), load_audio_models(AUDIO_WEIGHTS)
    res = Path('results/audio_phones')
    if a.what == 'transfer':
        r = transfer(am, data, sp[a.arg], video, frac)
        (res/f'{name}transfer_{a.arg}.json').write_text(json.dumps(r, indent=1)); print('median', r['median'])
        return
    am.gain = float(a.arg)
    pool = [w for _, w in speech_tracks('../shared/data', decoded=True)]
    ev = evaluate_speakers_rendered(am, data, sp['val'], video, a.frames, pool, frac=frac)
    ev['gain'] = am.gain
    (res/f'{name}rendered_gain{am.gain:g}_{a.frames}.json').write_text(json.dumps(ev, indent=1))
    for w, m in ev['mean'].items(): print(w, {k: round(v, 4) for k, v in m.items() if isinstance(v, float)})

if __name__ == '__main__': main()
