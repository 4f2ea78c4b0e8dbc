"""Held-out quality of video models on the person-disjoint validation split (issue 20's measures), one JSON per model.

    python scripts/evaluate_quality.py NAME=CHECKPOINT [NAME=CHECKPOINT ...] [--data data/shared256] [--videos ../shared/data]
    python scripts/evaluate_quality.py --table          # results/quality/*.json -> results/quality.md

Same identity (every cached frame of the 10 held-out people's clips, source = first frame, scored at 256²): PSNR,
SSIM, face sharpness (variance of the Laplacian in the real face box) relative to the real frames, dlib face found,
AKD; copy-source beside. Cross identity (each held-out clip drives the next one's first frame, 100 frames): CSIM (dlib
embedding) and HPD (head-pose distance, solvePnP on a generic 3-D face). Models can be scored in parallel processes.
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
        lines.append(f"| copy the source | | | {f(s['psnr_copy'], 2)} | {f(s['ssim_copy'])} | – | – | {f(s['akd_copy'], 2)} "
                     f"| {f(c['csim'])} | {f(c['hpd'], 2)} |")
        lines.append(f"\n{rows[0]['people']} held-out people, {rows[0]['clips']} clips, {s['frames']} same-identity frames; "
                     f"real frames' face sharpness {s['sharpness_real']:.0f}.")
    return '\n'.join(lines)

if __name__ == '__main__':
    args = sys.argv[1:]
    opt = lambda k, d: args[args.index(k) + 1] if k in args else d
    if '--table' in args: print(table()); sys.exit(0)
    data, videos = opt('--data', 'data/shared256'), opt('--videos', '../shared/data')
    for a in args:
        if '=' in a and not a.startswith('--'):
            name, ckpt = a.split('=', 1)
            r = score(name, ckpt, data, videos)
            print(name, json.dumps({k: r['same_id'][k] for k in ('psnr', 'ssim', 'sharpness_ratio', 'no_face', 'akd')}),
                  json.dumps({k: r['cross_id']['model'][k] for k in ('csim', 'hpd')}), r['seconds'], 's', flush=True)
