"""Export of the per-frame and prepare graphs of mp-4g (random weights) as users run it: ONNX parity and the CoreML
spec. (Notebook 13 does the same for the trained tiny.)"""
import re
import pytest
from conftest import cli

def test_onnx_mp4g_parity(tmp_path):
    r = cli('export', '--config', 'mp-4g', '--format', 'onnx', '-o', tmp_path)
    assert r.returncode == 0, r.stderr
    errs = [float(e) for e in re.findall(r'max \|onnxruntime − torch\| = ([0-9.e+-]+)', r.stdout)]
    assert len(errs) == 2 and max(errs) < 1e-3, r.stdout          # on the [0, 1] output frame (and the prepare outputs)
    assert {p.name for p in tmp_path.iterdir()} == {'mp-4g_frame.onnx', 'mp-4g_prepare.onnx'}
    import onnx
    ops = {n.op_type for n in onnx.load(str(tmp_path/'mp-4g_frame.onnx')).graph.node}
    assert 'GridSample' in ops and not ops & {'Inverse', 'Det'}
    # the default form for ONNX is the CPU rewrite of the render part (`PhaseUpConv`s: pixel shuffles), and the parity
    # above is against the plain torch model
    assert 'DepthToSpace' in ops, ops

def test_coreml_mp4g_spec(tmp_path):
    pytest.importorskip('coremltools')
    from mobileportrait.export import coreml_spec, FRAME_INPUTS, PREPARE_INPUTS
    r = cli('export', '--config', 'mp-4g', '--format', 'coreml', '-o', tmp_path)
    assert r.returncode == 0, r.stderr
    f, p = coreml_spec(tmp_path/'mp-4g_frame_fp16.mlpackage'), coreml_spec(tmp_path/'mp-4g_prepare_fp16.mlpackage')
    assert list(f['inputs']) == list(FRAME_INPUTS) and list(p['inputs']) == list(PREPARE_INPUTS)
    assert f['inputs']['driving'] == ((1, 3, 256, 256), 'fp32') and f['inputs']['driving_fk'] == ((1, 68, 2), 'fp32')
    assert f['inputs']['kp_source'] == ((1, 50, 2), 'fp32') and f['inputs']['motion_scale'] == ((1, 1, 1), 'fp32')
    assert f['outputs'] == {'frame': ((1, 3, 256, 256), 'fp32')}
    assert list(p['outputs']) == ['kp_source', 'view_term'] and p['inputs']['views'] == ((1, 4, 3, 256, 256), 'fp32')
    assert f['spec_version'] >= 7                        # iOS 16 mlprogram
    assert 'resample' in f['ops']                        # grid_sample, 4-D
    assert not [o for o in f['ops'] + p['ops'] if 'inverse' in o or 'linalg' in o or 'solve' in o]
    assert 'frame [1, 3, 256, 256] fp32' in r.stdout
    assert 'pixel_shuffle' not in f['ops'] and 'upsample_nearest_neighbor' in f['ops']     # the plain form by default

def test_coreml_cpu_form(tmp_path):
    "The CPU-rewritten frame graph converts too: Core ML's tensors are rank ≤ 5, which `PhaseUpConv` keeps to."
    pytest.importorskip('coremltools')
    from mobileportrait.export import coreml_spec
    r = cli('export', '--config', 'mp-4g', '--format', 'coreml', '--form', 'cpu', '--graphs', 'frame', '-o', tmp_path)
    assert r.returncode == 0, r.stderr
    f = coreml_spec(tmp_path/'mp-4g_frame_fp16.mlpackage')
    assert f['outputs'] == {'frame': ((1, 3, 256, 256), 'fp32')}
    assert 'pixel_shuffle' in f['ops'] and 'upsample_nearest_neighbor' not in f['ops'], f['ops']

@pytest.mark.parametrize('args,words', [((), 'exactly one'),
                                        (('--config', 'mp-4g', '--checkpoint', 'tiny'), 'exactly one'),
                                        (('--config', 'mp-4g', '--size', 100), 'multiple of 32'),
                                        (('--checkpoint', 'nope'), 'no checkpoint'),
                                        (('--config', 'mp-4g', '--graphs', 'both'), 'unknown graph')])
def test_export_bad_input(tmp_path, args, words):
    r = cli('export', *args, '-o', tmp_path)
    assert r.returncode == 2 and words in r.stderr and 'Traceback' not in r.stderr, (args, r.stderr)
