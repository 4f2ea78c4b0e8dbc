"""Cross-identity head pose under relative motion (issue 20's "HPD ≤ tiny's"): what a perfect relative-motion model
would score, and how far each model's output leans toward the driver's absolute pose instead.

    python scripts/hpd_oracle.py NAME=CHECKPOINT [NAME=CHECKPOINT ...] [--videos ../shared/data]

writes results/hpd_oracle.json.

The protocol is evaluate_quality.py's cross-identity half (each held-out clip drives the next one's first frame, 100
frames, relative motion from driving frame 0). With poses p (yaw, pitch, roll from `head_pose`), source s and driver
d(t), a perfect relative model outputs s + d(t) - d(0), so its HPD against the driver is mean|s - d(0)| on every frame
(the "oracle"). The absolute pose d(t) differs from that target by the constant offset o = d(0) - s; the "lean" of an
output p(t) is the least-squares b in p(t) - (s + d(t) - d(0)) ≈ b·o over the clip: 0 = pure relative motion,
1 = the driver's absolute pose. Frame 0 shows it most plainly: a relative model must reproduce the source there.
"""
import json, sys
from itertools import islice
from pathlib import Path
import numpy as np, torch

def poses(lmk: np.ndarray) -> np.ndarray:  # (N, 68, 2) px, NaN rows for no face -> (N, 3) degrees, NaN for no face
    from mobileportrait.head_pose import head_pose
    return np.stack([head_pose(l, 256) if not np.isnan(l[0, 0]) else np.full(3, np.nan) for l in lmk])

def clip_scores(s: np.ndarray, d: np.ndarray, p: np.ndarray | None) -> dict:  # (3,), (N, 3), (N, 3) degrees
    o, target = d[0] - s, s + d - d[0]
    r = {'oracle_hpd': float(np.abs(o).mean()), 'copy_source_hpd': float(np.nanmean(np.abs(s - d)))}
    if p is None: return r
    ok = ~np.isnan(p[:, 0]) & ~np.isnan(d[:, 0])
    if not ok.any(): return r | {'hpd': None}
    e = p[ok] - target[ok]
    r |= {'hpd': float(np.abs(p[ok] - d[ok]).mean()), 'lean': float((e @ o).sum() / (len(e) * (o @ o) + 1e-9)),
          'frame0_vs_source': float(np.abs(p[0] - s).mean()) if ok[0] else None, 'faces': float(ok.mean())}
    return r

def main(args):
    from mobileportrait.model import load_model
    from mobileportrait.train import validation_split, find_videos, clip_name
    from mobileportrait.evaluate import Scorer
    from mobileportrait.animate import animate
    torch.set_num_threads(1)
    videos = args[args.index('--videos') + 1] if '--videos' in args else '../shared/data'
    names = dict(a.split('=', 1) for a in args if '=' in a and not a.startswith('--'))
    models = {n: load_model(c) for n, c in names.items()}   # loaded once, not per clip
    split, scorer = validation_split(), Scorer('dlib')
    vids = [v for v in find_videos(videos) if clip_name(v, videos) in split]
    out = {'protocol': __doc__.strip().splitlines()[0], 'clips': {}}
    for i, v in enumerate(vids):
        ref, src = scorer.reference(v, 256, 100), scorer.reference(vids[(i + 1) % len(vids)], 256, 100)
        d, s = poses(ref['landmarks']), poses(src['landmarks'][:1])[0]
        if np.isnan(s[0]) or np.isnan(d[0, 0]): continue      # no pose for the source or the reference frame
        row = {'source': src['key'][0], 'oracle': clip_scores(s, d, None)}
        for name, model in models.items():
            pred = list(islice(animate(src['source_png'], ref['driving'], model=model, relative=True, crop=False,
                                       size=256), len(ref['real'])))
            row[name] = clip_scores(s, d, poses(scorer.landmarks(pred)))
        out['clips'][Path(v).stem] = row
        print(Path(v).stem, json.dumps({k: row[k] for k in row if k != 'source'}), flush=True)
    common = [c for c, r in out['clips'].items() if all(r[n].get('hpd') is not None for n in models)]
    out['common_clips'] = common
    out['mean'] = {n: {k: float(np.mean([out['clips'][c][n][k] for c in common]))
                       for k in ('hpd', 'lean', 'frame0_vs_source', 'oracle_hpd', 'copy_source_hpd')
                       if all(out['clips'][c][n].get(k) is not None for c in common)} for n in models}
    Path('results/hpd_oracle.json').write_text(json.dumps(out, indent=1))
    print(json.dumps(out['mean'], indent=1))

if __name__ == '__main__':
    main(sys.argv[1:])
