"""`animate_to_file` as this checkout runs it against an older commit (default: the end of the tenth session,
1c6605a), one fresh process per run as the CLI runs (each process also times a fixed 3×3 convolution, `ref_ms`, to show
how fast the machine was at that moment), interleaved rounds, tiny256 on s42 + d18 (180 frames, 2 threads, the
fastest installed runtime). Makes a git worktree of the older commit in a temporary folder. Writes
--out (default results/animate_ab_commit.json). --as_cli: the checkpoint is loaded inside `animate_to_file`, as
`mobileportrait animate` does (its load time counts), and the reference convolution is timed after the run. Each
side renders as its CLI's `animate` does: with OpenVINO's throughput mode (`render_with(..., streams=2)`) where the
code has it.

    python scripts/animate_ab_commit.py [--old 1c6605a] [--rounds 4] [--checkpoint tiny256] [--as_cli] [--out FILE]
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path
CODE = r'''
import inspect, sys, time, json, tempfile, warnings; warnings.filterwarnings('ignore')
t0 = time.perf_counter()
import mobileportrait, torch
from pathlib import Path
from mobileportrait.animate import animate_to_file
from mobileportrait.cli import render_with
from mobileportrait.model import load_model, torch_threads
from mobileportrait.video import samples_dir
S = samples_dir()
import torch.nn.functional as F
def ref():
    with torch_threads(2):
        x, w = torch.randn(1, 64, 128, 128), torch.randn(64, 64, 3, 3)
        for _ in range(3): F.conv2d(x, w, padding=1)
        tr = time.perf_counter()
        for _ in range(20): F.conv2d(x, w, padding=1)
        return (time.perf_counter() - tr) / 20 * 1e3
as_cli = sys.argv[2] == 'cli'
if not as_cli: ref_ms = ref()
with torch_threads(2), tempfile.TemporaryDirectory() as d:
    kw = dict(checkpoint=sys.argv[1]) if as_cli else dict(model=load_model(sys.argv[1]))
    # the renderer the CLI's animate uses: OpenVINO's throughput mode where this code has it (streams=2)
    new = 'streams' in inspect.signature(render_with).parameters
    rw = render_with('auto', streams=2) if new else render_with('auto')
    t1 = time.perf_counter()
    r = animate_to_file(S/'portraits/s42.jpg', S/'driving/d18.mp4', Path(d)/'o.mp4', overwrite=True, progress=False,
                        render_with=rw, **kw)
    run = time.perf_counter() - t1
if as_cli: ref_ms = ref()
print(json.dumps(dict(ref_ms=ref_ms, file=mobileportrait.__file__, fps=r['fps'], wall=time.perf_counter() - t0,
                      run=run, timing=vars(r['timing']))))
'''

def run(tree: str, ck: str, as_cli: bool = False) -> dict:
    "One run in a fresh process importing mobileportrait from `tree` (run from a neutral folder: not this checkout)."
    p = subprocess.run([sys.executable, '-c', CODE, ck, 'cli' if as_cli else 'model'],
                       env=dict(os.environ, PYTHONPATH=tree), capture_output=True, text=True, cwd=tempfile.gettempdir())
    return json.loads(p.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--old', default='1c6605a')
    ap.add_argument('--rounds', type=int, default=4)
    ap.add_argument('--checkpoint', default='tiny256')
    ap.add_argument('--as_cli', action='store_true')
    ap.add_argument('--out', default='results/animate_ab_commit.json')
    a = ap.parse_args()
    here = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as d:
        old = str(Path(d)/'old')
        subprocess.run(['git', '-C', here, 'worktree', 'add', '-f', '--detach', old, a.old], check=True,
                       capture_output=True)
        try:
            trees, res = {'new': here, 'old': old}, {'new': [], 'old': []}
            for t in trees.values(): run(t, a.checkpoint, a.as_cli)   # warm-up: graph exports, compiled-graph caches
            for r in range(a.rounds):
                for name in (('new', 'old') if r % 2 == 0 else ('old', 'new')):
                    o = run(trees[name], a.checkpoint, a.as_cli); res[name].append(o)
                    print(name, f"ref {o['ref_ms']:.2f} ms, {o['fps']:.2f} fps",
                          {k: round(v, 2) for k, v in o['timing'].items()}, flush=True)
        finally: subprocess.run(['git', '-C', here, 'worktree', 'remove', '--force', old], capture_output=True)
    med = {k: statistics.median(x['fps'] for x in v) for k, v in res.items()}
    print(med)
    Path(here, a.out).write_text(json.dumps(dict(
        date=time.strftime('%Y-%m-%d %H:%M'), old=a.old, checkpoint=a.checkpoint, as_cli=a.as_cli, frames=180,
        threads=2, median_fps=med, runs=res), indent=1))

if __name__ == '__main__':
    main()
