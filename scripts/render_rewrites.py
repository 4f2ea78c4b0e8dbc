"""What the render graph's rewrites gain (notebook 13, "Two rewrites of the render graph"): `tiny256`'s per-frame
graph on a real portrait exported three ways -- the model's own layers, with the 7×7 head as a `SpaceToDepthConv`, and
with the decoder's upsample + convolution blocks as `PhaseUpConv`s too (`RenderGraph`, what `animate` runs) -- each
run by one runtime on 2 threads in interleaved rounds (median ms, max difference from torch). Also the driving
keypoints in torch and as `KeypointGraph`. One runtime per process: the idle threads of one runtime's sessions slow
the other's. Writes results/render_rewrites_RUNTIME.json; run it on a quiet machine.

    python scripts/render_rewrites.py [--runtime openvino|onnxruntime] [--rounds 20] [--checkpoint tiny256]
"""
import argparse, json, statistics, tempfile, time, warnings
from pathlib import Path
import torch

def graphs(model):
    "The three render graphs: the model's layers, + the space-to-depth head, + the phase decoder (`RenderGraph`)."
    from mobileportrait.export import RenderGraph
    class Plain(torch.nn.Module):
        def __init__(self, m): super().__init__(); self.m = m
        def forward(self, source, source_masks, background, kp_source, kp_driving, view_term=None):
            m = self.m
            mo = m.dense_motion(source, kp_source, kp_driving, m._masks(source_masks))
            return m.synthesis(m.synthesis.inputs(mo['warped_occluded'], background, source_masks[:, :1]), view_term)
    head_only = RenderGraph(model); head_only.up = None      # `UNet.decode`'s own blocks
    return {'plain': Plain(model), 'space-to-depth head': head_only, 'head + phase decoder': RenderGraph(model)}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=20)
    ap.add_argument('--checkpoint', default='tiny256')
    ap.add_argument('--runtime', default='openvino', choices=('openvino', 'onnxruntime'))
    a = ap.parse_args()
    warnings.filterwarnings('ignore')
    from mobileportrait.model import load_model, prepare_knowledge, torch_threads
    from mobileportrait.face_knowledge import prepare_source
    from mobileportrait.video import samples_dir
    from mobileportrait.export import (_render_inputs, _quiet, ort_session, OpenVinoSession, KeypointGraph,
                                       export_keypoint_graph)
    m = load_model(a.checkpoint)
    prep = prepare_knowledge(m, prepare_source(samples_dir()/'portraits/s42.jpg', size=m.cfg.image_size))
    kp = prep.kp_source + 0.03 * torch.randn(prep.kp_source.shape, generator=torch.Generator().manual_seed(0))
    ex = _render_inputs(prep, kp); feed = {k: v.numpy() for k, v in ex.items()}
    with torch.no_grad(): want = m.animate_frame(prep, kp_driving=kp).numpy()
    sessions, err, res = {}, {}, {}
    with torch_threads(2), tempfile.TemporaryDirectory() as d:
        for name, g in graphs(m).items():
            p = Path(d)/f'{len(sessions)}.onnx'
            _quiet(); torch.onnx.export(g, (), str(p), kwargs=ex, input_names=list(ex), output_names=['frame'],
                                        external_data=False)
            rt = a.runtime
            s = sessions[(name, rt)] = OpenVinoSession(p, 2) if rt == 'openvino' else ort_session(p, 2)
            err[(name, rt)] = float(abs(s.run(None, feed)[0] - want).max())
        kpp = export_keypoint_graph(m, Path(d)/'kp.onnx')
        drv, fk = prep.image.flip(-1), prep.fk * torch.tensor([-1.0, 1.0])
        kfeed = {'driving': drv.numpy(), 'driving_fk': fk.numpy()}
        ks = OpenVinoSession(kpp, 2) if a.runtime == 'openvino' else ort_session(kpp, 2)
        kp_runs = {'torch': lambda: m.keypoints(drv, fk), a.runtime: lambda: ks.run(None, kfeed)}
        times = {k: [] for k in list(sessions) + [('keypoints', k) for k in kp_runs]}
        with torch.no_grad():
            for r in range(a.rounds + 1):                # round 0 warms up
                for key, s in sessions.items():
                    t = time.perf_counter(); s.run(None, feed); dt = time.perf_counter() - t
                    if r: times[key].append(dt)
                for k, f in kp_runs.items():
                    t = time.perf_counter(); f(); dt = time.perf_counter() - t
                    if r: times[('keypoints', k)].append(dt)
    for (name, rt), ts in times.items():
        res.setdefault(name, {})[rt] = dict(ms=round(1e3 * statistics.median(ts), 1),
                                            max_abs_diff=err.get((name, rt)))
        print(f'{name:22s} {rt:12s} {res[name][rt]}', flush=True)
    report = dict(date=time.strftime('%Y-%m-%d %H:%M'), checkpoint=a.checkpoint, threads=2, rounds=a.rounds,
                  results=res)
    Path(f'results/render_rewrites_{a.runtime}.json').write_text(json.dumps(report, indent=1))

if __name__ == '__main__':
    main()
