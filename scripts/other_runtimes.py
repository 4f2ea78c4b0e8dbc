"""mp-4g's per-frame graph (random weights, the rewritten form `animate` exports) in the runtimes and precisions not yet
compared in results/speed.md (issue 23): ExecuTorch with XNNPACK, OpenVINO asked for f16, onnxruntime with fp16 weights;
against OpenVINO and onnxruntime fp32, interleaved rounds, 2 threads, one process. Each row gives max |Δ| and PSNR
against torch fp32. Writes --out (default results/other_runtimes.json).

ExecuTorch is not a dependency of this package (its wheel pins coremltools, torchao and more): measure it in a
separate virtual environment that sees this one's torch, e.g.

    python -m venv --system-site-packages /tmp/etvenv && /tmp/etvenv/bin/pip install executorch
    /tmp/etvenv/bin/python scripts/other_runtimes.py [--rounds 8]

Without executorch installed the other rows are measured and ExecuTorch is reported as not installed. Lowering mp-4g
to XNNPACK takes 1.5-3 min on 2 cores.
"""
import argparse, json, statistics, tempfile, time, warnings
from pathlib import Path
import numpy as np, torch
from mobileportrait.model import MobilePortrait, get_config
from mobileportrait.export import FrameGraph, RenderGraph, _export_graph, OpenVinoSession, example_inputs, onnx_fp16, \
    ort_session
from mobileportrait.cli import machine

def executorch_run(graph, ex: dict, folder: Path, threads: int):
    "A call running `graph` lowered to XNNPACK by ExecuTorch, or None where executorch is not installed."
    try:
        from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
        from executorch.exir import to_edge_transform_and_lower
        from executorch.runtime import Runtime
        from executorch.extension.pybindings.portable_lib import _unsafe_reset_threadpool
    except ImportError: return None
    _unsafe_reset_threadpool(threads)
    prog = to_edge_transform_and_lower(torch.export.export(graph, (), kwargs=ex),
                                       partitioner=[XnnpackPartitioner()]).to_executorch()
    (folder/'frame.pte').write_bytes(prog.buffer)
    method = Runtime.get().load_program(str(folder/'frame.pte')).load_method('forward')
    args = list(ex.values())
    return lambda: method.execute(args)[0].numpy()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=8)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default=str(Path(__file__).resolve().parents[1]/'results/other_runtimes.json'))
    a = ap.parse_args()
    warnings.filterwarnings('ignore'); torch.manual_seed(0); torch.set_num_threads(a.threads)
    m = MobilePortrait(get_config('mp-4g')).eval(); ex = example_inputs(m)
    g = FrameGraph(m, RenderGraph(m)).eval()
    with torch.no_grad(): ref = g(**ex).numpy()
    d = Path(tempfile.mkdtemp()); p = _export_graph(g, ex, d/'frame.onnx'); p16 = onnx_fp16(p)
    sessions = {'openvino f32': OpenVinoSession(p, a.threads),
                'openvino f16 asked': OpenVinoSession(p, a.threads, 'f16'),
                'onnxruntime fp32': ort_session(p, a.threads), 'onnxruntime fp16 weights': ort_session(p16, a.threads)}
    runs = {k: (lambda s=s: s.run(None, {i.name: ex[i.name].numpy() for i in s.get_inputs()})[0])
            for k, s in sessions.items()}
    with torch.no_grad(): et = executorch_run(g, ex, d, a.threads)
    if et is not None: runs['executorch xnnpack fp32'] = et
    rows = {}
    for k, f in runs.items():
        o = f(); mse = float(((o - ref) ** 2).mean())
        rows[k] = dict(max_abs=float(np.abs(o - ref).max()), psnr=10 * np.log10(1 / mse) if mse else None, ms=[])
    rows['openvino f16 asked']['precision_taken'] = str(sessions['openvino f16 asked'].model.get_property(
        'INFERENCE_PRECISION_HINT'))
    names = list(runs)
    for r in range(a.rounds):
        for k in (names if r % 2 == 0 else names[::-1]):
            t = time.perf_counter()
            for _ in range(8): runs[k]()
            rows[k]['ms'].append((time.perf_counter() - t) / 8 * 1e3)
        print(r, {k: round(v['ms'][-1], 1) for k, v in rows.items()}, flush=True)
    for v in rows.values(): v['ms_median'] = statistics.median(v['ms'])
    out = dict(machine=machine(), threads=a.threads, rounds=a.rounds,
               graph='mp-4g FrameGraph(m, RenderGraph(m)), 256²',
               executorch='measured' if et is not None else 'not installed', rows=rows)
    Path(a.out).write_text(json.dumps(out, indent=1))
    for k, v in rows.items(): print(f"{k:26s} {v['ms_median']:6.1f} ms  max|Δ| {v['max_abs']:.1e}  PSNR {v['psnr']}")

if __name__ == '__main__':
    main()
