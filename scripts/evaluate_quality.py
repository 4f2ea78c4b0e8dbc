"""Held-out quality of video models on the person-disjoint validation split (issue 20's measures), one JSON per model.

    python scripts/evaluate_quality.py NAME=CHECKPOINT [NAME=CHECKPOINT ...] [--data data/shared256]
                                       [--videos ../shared/data]
    python scripts/evaluate_quality.py --table          # results/quality/*.json -> a markdown table
    python scripts/evaluate_quality.py --frames NAME=CHECKPOINT ... [--clips a,b]   # results/quality_frames.jpg
    python scripts/evaluate_quality.py --cross_only NAME=CHECKPOINT ...   # rescore the cross-identity half of NAME.json
    python scripts/evaluate_quality.py --cross_only --ref_frame best NAME=CHECKPOINT ...   # ... from the best frame
    python scripts/evaluate_quality.py --cross_only --absolute NAME=CHECKPOINT ...   # ... with absolute motion

Same identity (every cached frame of the 10 held-out people's clips, source = first frame, scored at 256²): PSNR,
SSIM, face sharpness (variance of the Laplacian in the real face box) relative to the real frames, dlib face found,
AKD; copy-source beside. Cross identity (each held-out clip drives the next one's first frame, 100 frames): CSIM (dlib
embedding), HPD (head-pose distance, solvePnP on a generic 3-D face) and motion HPD (the pose change since the first
frame against the driver's, which relative motion should follow). Models can be scored in parallel processes.
"""
import json, sys, time
from pathlib import Path
import torch

OUT = Path('results/quality')

def score(name: str, ckpt: str, data: str, videos: str) -> dict:
    from mobileportrait.model import load_model
    from mobileportrait.train import load_clips, validate, validation_split, find_videos, clip_name
    from mobileportrait.evaluate import evaluate
    torch.set_num_threads(1)
    split = validation_split()
    model, t0 = load_model(ckpt), time.time()
    same = validate(model, load_clips(data, names=tuple(split)))
    vids = [v for v in find_videos(videos) if clip_name(v, videos) in split]
    cross = evaluate(ckpt, vids, mode='cross-id', max_frames=100, model=model, progress=False)
    res = {'name': name, 'checkpoint': ckpt, 'config': model.cfg.name, 'image_size': model.cfg.image_size,
           'params_m': round(sum(p.numel() for p in model.parameters()) / 1e6, 2), 'people': len(set(split.values())),
           'clips': len(split), 'same_id': same, 'cross_id': cross['mean'], 'cross_id_clips': cross['clips'],
           'seconds': round(time.time() - t0)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT/f'{name}.json').write_text(json.dumps(res, indent=1))
    return res

def rescore_cross(name: str, ckpt: str, videos: str, ref_frame='0', relative: bool = True) -> dict:
    """Score the cross-identity half again (e.g. after a new measure was added) and update results/quality/NAME.json;
    with `ref_frame='best'` (FOMM's protocol: relative motion from the driving frame closest to the source) it goes
    under the keys `cross_id_best` and `cross_id_best_clips` beside the frame-0 scores; with `relative=False` (absolute
    motion: the output should take the driver's pose, which is what HPD compares) under `cross_id_abs`."""
    from mobileportrait.model import load_model
    from mobileportrait.train import validation_split, find_videos, clip_name
    from mobileportrait.evaluate import evaluate
    torch.set_num_threads(1)
    split, path = validation_split(), OUT/f'{name}.json'
    res = json.loads(path.read_text())
    vids = [v for v in find_videos(videos) if clip_name(v, videos) in split]
    ref = 'best' if ref_frame == 'best' else int(ref_frame)
    cross = evaluate(ckpt, vids, mode='cross-id', max_frames=100, model=load_model(ckpt), progress=False, ref_frame=ref,
                     relative=relative)
    key = 'cross_id_abs' if not relative else 'cross_id_best' if ref == 'best' else 'cross_id'
    res[key], res[f'{key}_clips'] = cross['mean'], cross['clips']
    path.write_text(json.dumps(res, indent=1))
    return res

def table() -> str:
    rows = [json.loads(p.read_text()) for p in sorted(OUT.glob('*.json'))]
    head = ('| model | size | params M | PSNR dB ↑ | SSIM ↑ | sharpness vs real ↑ | face found ↑ | AKD px ↓ '
            '| cross-id CSIM ↑ | cross-id HPD ° ↓ |\n|---|---|---|---|---|---|---|---|---|---|')
    f = lambda v, d=3: '–' if v is None else f'{v:.{d}f}'
    lines = [head]
    for r in rows:
        s, c = r['same_id'], r['cross_id']['model']
        lines.append(f"| `{r['name']}` | {r['image_size']}² | {r['params_m']} | {f(s['psnr'], 2)} | {f(s['ssim'])} "
                     f"| {f(100 * s['sharpness_ratio'], 0)} % | {f(100 * (1 - s['no_face']), 0)} % | {f(s['akd'], 2)} "
                     f"| {f(c['csim'])} | {f(c['hpd'], 2)} |")
    if rows:
        s, c = rows[0]['same_id'], rows[0]['cross_id']['copy_source']
        lines.append(f"| copy the source | | | {f(s['psnr_copy'], 2)} | {f(s['ssim_copy'])} | – | – "
                     f"| {f(s['akd_copy'], 2)} | {f(c['csim'])} | {f(c['hpd'], 2)} |")
        lines.append(f"\n{rows[0]['people']} held-out people, {rows[0]['clips']} clips, {s['frames']} same-identity "
                     f"frames; real frames' face sharpness {s['sharpness_real']:.0f}.")
    return '\n'.join(lines)

def frames_figure(models: dict, data: str, out='results/quality_frames.jpg', clips=None, frame: float = 0.6):
    """One row per held-out clip: the source (first frame), the real driving frame at `frame` of the clip, and each
    model's reconstruction of it, at 256² (a JPEG beside the numbers)."""
    import cv2, numpy as np
    from mobileportrait.model import load_model
    from mobileportrait.train import load_clips, validation_split, clip_item, _prepare_clip, _to_uint8, _img
    torch.set_num_threads(1)
    cl = load_clips(data, names=tuple(clips or validation_split()))
    nets = {k: load_model(v) for k, v in models.items()}
    rows = []
    for c in cl:
        i = int(frame * (len(c) - 1))
        tiles = [_to_uint8(_img(c.frames[0], 256)[None]), _to_uint8(_img(c.frames[i], 256)[None])]
        for m in nets.values():
            it = clip_item(c, 0, i, m.cfg.image_size, [])
            gen = m.animate_frame(_prepare_clip(m, c, 'cpu'), it['driving'][None], it['driving_fk'][None])
            tiles.append(_to_uint8(gen))
        rows.append(np.concatenate(tiles, 1))
    img = np.concatenate(rows, 0)
    head = np.full((28, img.shape[1], 3), 255, np.uint8)
    for j, t in enumerate(['source', 'real'] + list(models)):
        cv2.putText(head, t, (8 + 256 * j, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 1, cv2.LINE_AA)
    img = np.concatenate([head, img], 0)
    small = cv2.resize(img, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    cv2.imwrite(out, cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
    return out

if __name__ == '__main__':
    args = sys.argv[1:]
    opt = lambda k, d: args[args.index(k) + 1] if k in args else d
    if '--table' in args: print(table()); sys.exit(0)
    if '--frames' in args:   # python scripts/evaluate_quality.py --frames NAME=CKPT ... [--clips a,b,c]
        models = dict(a.split('=', 1) for a in args if '=' in a and not a.startswith('--'))
        clips = opt('--clips', None)
        print(frames_figure(models, opt('--data', 'data/shared256'), clips=clips.split(',') if clips else None))
        sys.exit(0)
    data, videos = opt('--data', 'data/shared256'), opt('--videos', '../shared/data')
    if '--cross_only' in args:   # python scripts/evaluate_quality.py --cross_only NAME=CKPT ...: the existing JSON's
        for a in args:           # cross-identity half scored again, the same-identity half kept
            if '=' in a and not a.startswith('--'):
                rel, ref = '--absolute' not in args, opt('--ref_frame', '0')
                r = rescore_cross(*a.split('=', 1), videos, ref, rel)
                key = 'cross_id_abs' if not rel else 'cross_id_best' if ref == 'best' else 'cross_id'
                print(a, json.dumps(r[key]), flush=True)
        sys.exit(0)
    for a in args:
        if '=' in a and not a.startswith('--'):
            name, ckpt = a.split('=', 1)
            r = score(name, ckpt, data, videos)
            print(name, json.dumps({k: r['same_id'][k] for k in ('psnr', 'ssim', 'sharpness_ratio', 'no_face', 'akd')}),
                  json.dumps({k: r['cross_id']['model'][k] for k in ('csim', 'hpd')}), r['seconds'], 's', flush=True)
