"""The render-graph rewrites of notebook 13 on mp-4g's per-frame graph (issue 23): `FrameGraph(m)` (the model's own
layers) against `FrameGraph(m, RenderGraph(m))` with only the synthesis rewritten (phase decoder, space-to-depth head)
and with the dense motion rewritten too (its phase decoder, `MotionHeads`), each exported to ONNX and run by OpenVINO
and onnxruntime in the same process, interleaved rounds, 2 threads. Random weights with non-trivial batch-norm
statistics; the max difference to torch is asserted. Writes results/frame_rewrites.json.

    python scripts/frame_rewrites.py [--config mp-4g] [--rounds 30] [--out results/frame_rewrites.json]
"""
import argparse, json, statistics, tempfile, time, warnings
from pathlib import Path
import numpy as np, torch, torch.nn as nn

def graphs(m) -> dict:
    from mobileportrait.export import FrameGraph, RenderGraph
    synth_only = RenderGraph(m); synth_only.motion_up = synth_only.motion_heads = None
    return {'plain': FrameGraph(m), 'synthesis rewritten': FrameGraph(m, synth_only),
            'synthesis + dense motion rewritten': FrameGraph(m, RenderGraph(m))}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--config', default='mp-4g')
    ap.add_argument('--rounds', type=int, default=30)
    ap.add_argument('--out', default='results/frame_rewrites.json')
    a = ap.parse_args()
    warnings.filterwarnings('ignore')
    from mobileportrait.export import example_inputs, _export_graph, ort_session, OpenVinoSession
    from mobileportrait.model import MobilePortrait, get_config, torch_threads
    torch.manual_seed(0)
    m = MobilePortrait(get_config(a.config, 256)).eval()
    with torch.no_grad():
        for bn in (x for x in m.modules() if isinstance(x, nn.BatchNorm2d)):
            bn.running_mean.uniform_(-0.1, 0.1); bn.running_var.uniform_(0.5, 1.5)
    ex = example_inputs(m); feed = {k: v.numpy() for k, v in ex.items()}
    calls, err = {}, {}
    with torch_threads(2), torch.no_grad(), tempfile.TemporaryDirectory() as d:
        ref = graphs(m)['plain'](**ex).numpy()
        for name, g in graphs(m).items():
            p = _export_graph(g, ex, Path(d)/f'{len(calls)}.onnx')
            for rt, s in (('openvino', OpenVinoSession(p, 2)), ('onnxruntime', ort_session(p, 2))):
                f = {i.name: feed[i.name] for i in s.get_inputs()}
                calls[f'{rt}: {name}'] = (lambda s=s, f=f: s.run(None, f)[0])
                err[f'{rt}: {name}'] = float(np.abs(calls[f'{rt}: {name}']() - ref).max())
        assert max(err.values()) < 1e-4, err
        times = {k: [] for k in calls}
        for r in range(a.rounds):
            for k in (list(calls) if r % 2 == 0 else list(calls)[::-1]):
                t = time.perf_counter(); calls[k](); times[k].append((time.perf_counter() - t) * 1e3)
    res = {k: dict(ms=round(statistics.median(v), 1), max_abs_to_torch=err[k]) for k, v in times.items()}
    for k, v in res.items(): print(f'{k:55s} {v["ms"]:7.1f} ms  max |diff| {v["max_abs_to_torch"]:.1e}')
    from mobileportrait.cli import machine
    out = dict(date=time.strftime('%Y-%m-%d %H:%M'), threads=2, config=a.config, rounds=a.rounds, results=res,
               machine=machine())
    Path(a.out).write_text(json.dumps(out, indent=1))

if __name__ == '__main__':
    main()
