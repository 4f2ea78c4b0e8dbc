"""Issue 22: should `live` re-detect the face periodically? `LiveAnimator` tracked with
`LandmarkTracker(redetect_every=0)` until this measurement (now 25): landmarks fitted in the box of the previous
frame's, a detection only when the face is lost or jumps. Periodic
re-detection (what `animate` does every 25 frames, near the last face) corrects drift but costs time on the frames
that run it. For each clip, every frame at 25 fps: landmarks from a fresh full-frame detection (the reference), and
from the tracker without and with periodic re-detection; the error is the mean landmark distance to the reference
divided by the reference's inter-ocular distance, and the time is the tracker's per frame. With --live, instead:
`bench --live`'s run (the bundled d18 played at 25 fps, OpenVINO, 2 threads) with `LiveAnimator(redetect_every=25)`
and `(redetect_every=0)`, 3 interleaved runs each, for `tiny` and `tiny256`: dropped frames and median latency.
Writes (adds to) results/live_redetect.json.

    python scripts/live_redetect.py [CLIP ...]   (default: four liveportrait driving clips from ../shared/data)
    python scripts/live_redetect.py --live
"""
import json, sys, time
from pathlib import Path
import numpy as np

def iod(l): return float(np.linalg.norm(l[36:42].mean(0) - l[42:48].mean(0)))

def run(clip: Path, everies=(0, 25, 10)) -> dict:
    from mobileportrait.face_knowledge import LandmarkTracker, get_landmarker
    from mobileportrait.video import VideoReader
    frames = list(VideoReader(clip, fps=25))
    lm = get_landmarker('dlib')
    ref = []
    for f in frames:
        _, lmks = lm.detect(f)
        ref.append(lmks[0] if len(lmks) else None)
    out = dict(frames=len(frames), ref_found=int(sum(r is not None for r in ref)))
    for every in everies:
        tr, errs, ms = LandmarkTracker(redetect_every=every), [], []
        for f, r in zip(frames, ref):
            t = time.perf_counter(); l = tr(f); ms.append((time.perf_counter() - t) * 1e3)
            if l is not None and r is not None: errs.append(float(np.linalg.norm(l - r, axis=1).mean()) / iod(r))
        e, m = np.array(errs), np.array(ms)
        out[f'every {every}'] = dict(nme_mean=round(float(e.mean()), 4), nme_p95=round(float(np.percentile(e, 95)), 4),
                                     nme_max=round(float(e.max()), 4), ms_median=round(float(np.median(m)), 2),
                                     ms_p99=round(float(np.percentile(m, 99)), 1), frames_over_40ms=int((m > 40).sum()),
                                     detections=tr.n_detect, full_frame=tr.n_full)
    return out

def live_ab(rounds: int = 3) -> dict:
    "Dropped frames and latency of `live` on d18 with and without periodic re-detection, interleaved."
    import functools
    from mobileportrait import live
    from mobileportrait.cli import _bench_live
    animator, runs = live.LiveAnimator, {}
    try:
        for ck in ('tiny', 'tiny256'):
            for r in range(rounds):
                for every in ((25, 0) if r % 2 == 0 else (0, 25)):
                    live.LiveAnimator = functools.partial(animator, redetect_every=every)
                    out = _bench_live(ck, 2, 'openvino', runs=1)['runs'][0]
                    runs.setdefault(f'{ck} every {every}', []).append(out)
                    print(ck, every, out['dropped_fraction'], out['latency_median_ms'], flush=True)
    finally: live.LiveAnimator = animator
    summary = {k: dict(dropped=[r['dropped_fraction'] for r in v],
                       latency_median_ms=[r['latency_median_ms'] for r in v]) for k, v in runs.items()}
    return dict(note='bench --live style runs (d18 at 25 fps, OpenVINO, 2 threads), LiveAnimator with redetect_every '
                     '25 vs 0, 3 interleaved runs each', summary=summary, runs=runs)

def main():
    from mobileportrait.cli import machine
    out = Path('results/live_redetect.json')
    if sys.argv[1:] == ['--live']:
        prev = json.loads(out.read_text()) if out.exists() else {}
        out.write_text(json.dumps(prev | {'live_openvino_d18': live_ab(), 'machine_live': machine()}, indent=1))
        return
    root = Path(__file__).resolve().parents[1]/'..'/'shared'/'data'
    clips = [Path(c) for c in sys.argv[1:]] or [root/f'liveportrait/{n}.mp4' for n in ('d6', 'd9', 'd10', 'd3')]
    res = {}
    for c in clips:
        res[c.name] = run(c); print(c.name, json.dumps(res[c.name]), flush=True)
    prev = json.loads(out.read_text()) if out.exists() else {}
    out.write_text(json.dumps(prev | dict(clips=res, machine=machine()), indent=1))

if __name__ == '__main__':
    main()
