"""This session's speed-ups end to end, side by side (results/speed.md §5): `animate_to_file` on the bundled sample
(s42.jpg driven by d18.mp4, 180 frames at 256², OpenVINO, 2 threads) as it runs now, against the same code with the
changes undone -- the render graph with the model's own layers, the driving keypoints in torch, OpenVINO compiling
the graph on every run, the tracker re-detecting on the whole frame -- in interleaved rounds, because this machine's
speed drifts within minutes. Writes results/animate_ab.json.

    python scripts/animate_ab.py [--rounds 3] [--checkpoint tiny256]
"""
import argparse, json, statistics, sys, tempfile, time, warnings
from pathlib import Path
import torch

def before_renderer(cache: Path):
    "`OpenVinoRenderer` as it was: the plain graph (cached under `cache`), no compiled-graph cache, torch keypoints."
    from mobileportrait.export import OpenVinoRenderer, OpenVinoSession
    class Before(OpenVinoRenderer):
        keypoints = None                     # `animate` then runs the model's keypoints in torch
        def __init__(self, model): super().__init__(model, cache_dir=cache)
        def open(self, path): return OpenVinoSession(path, self.threads)
    return Before

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--checkpoint', default='tiny256')
    a = ap.parse_args()
    warnings.filterwarnings('ignore')
    sys.path.insert(0, str(Path(__file__).parent))
    from render_rewrites import graphs
    import mobileportrait.export as ex
    from mobileportrait.animate import animate_to_file
    from mobileportrait.face_knowledge import LandmarkTracker
    from mobileportrait.model import load_model, torch_threads
    from mobileportrait.video import samples_dir
    S, model, near = samples_dir(), load_model(a.checkpoint), LandmarkTracker._near
    with torch_threads(2), tempfile.TemporaryDirectory() as d:
        variants = {'after': ex.OpenVinoRenderer, 'before': before_renderer(Path(d)/'cache')}
        def run(name):
            LandmarkTracker._near = near if name == 'after' else (lambda self, frame: None)
            return animate_to_file(S/'portraits/s42.jpg', S/'driving/d18.mp4', Path(d)/'o.mp4', overwrite=True,
                                   progress=False, model=model, render_with=variants[name])
        plain, ex.RenderGraph = ex.RenderGraph, lambda m: graphs(m)['plain']   # 'before' exports the plain graph
        run('before'); ex.RenderGraph = plain
        run('after')
        res = {k: [] for k in variants}
        for r in range(a.rounds):
            for name in (('after', 'before') if r % 2 == 0 else ('before', 'after')):
                o = run(name); res[name].append(dict(fps=o['fps'], timing=vars(o['timing'])))
                print(name, o['fps'], {k: round(v, 2) for k, v in vars(o['timing']).items()}, flush=True)
        LandmarkTracker._near = near
    med = {k: statistics.median(x['fps'] for x in v) for k, v in res.items()}
    print(med)
    Path('results/animate_ab.json').write_text(json.dumps(dict(date=time.strftime('%Y-%m-%d %H:%M'),
                                                             checkpoint=a.checkpoint, threads=2, frames=180,
                                                             median_fps=med, runs=res), indent=1))

if __name__ == '__main__':
    main()
