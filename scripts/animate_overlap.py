"""What the threads of `animate` gain end to end (issue 23, item 3): `animate_to_file` on the bundled sample (s42.jpg
driven by d18.mp4, 180 frames at 256²) with `overlap=True` (tracking beside the source's preparation, decoding ahead
of the model, encoding behind it) and `overlap=False` (each in turn), in interleaved rounds, 2 torch threads, the
fastest installed runtime. Writes results/animate_overlap.json; run it on a quiet machine.

    python scripts/animate_overlap.py [--rounds 3] [--checkpoints tiny,tiny256]
"""
import argparse, json, statistics, tempfile, time
from pathlib import Path

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--checkpoints', default='tiny,tiny256')
    ap.add_argument('--runtime', default='auto')
    a = ap.parse_args()
    from mobileportrait.animate import animate_to_file
    from mobileportrait.cli import render_with
    from mobileportrait.model import load_model, torch_threads
    from mobileportrait.video import samples_dir
    S, res = samples_dir(), {}
    with torch_threads(2), tempfile.TemporaryDirectory() as d:
        for ck in a.checkpoints.split(','):
            model, runs = load_model(ck), {True: [], False: []}
            rw = render_with(a.runtime)
            run = lambda ov: animate_to_file(S/'portraits/s42.jpg', S/'driving/d18.mp4', Path(d)/'o.mp4',
                                             overwrite=True, progress=False, model=model, render_with=rw, overlap=ov)
            run(True)                                   # warm-up: ONNX export / compile, dlib, caches
            for k in range(a.rounds):
                for ov in ((True, False) if k % 2 == 0 else (False, True)):
                    r = run(ov); runs[ov].append(dict(seconds=r['seconds'], fps=r['fps'], timing=vars(r['timing'])))
            med = {ov: statistics.median(x['fps'] for x in runs[ov]) for ov in runs}
            res[ck] = dict(runtime=a.runtime, fps_overlap=med[True], fps_sequential=med[False],
                           gain=round(med[True] / med[False], 3), runs={str(k): v for k, v in runs.items()})
            print(ck, json.dumps({k: v for k, v in res[ck].items() if k != 'runs'}), flush=True)
    Path('results/animate_overlap.json').write_text(json.dumps(dict(date=time.strftime('%Y-%m-%d %H:%M'), threads=2,
                                                                    frames=180, results=res), indent=1))

if __name__ == '__main__':
    main()
