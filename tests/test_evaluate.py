"`mobileportrait evaluate` as users run it: a 2-clip subset (the bundled driving clips), both modes, and bad input."
import json
import pytest
from conftest import SAMPLES, cli

def test_evaluate_same_id_two_clips(tmp_path):
    out = tmp_path/'same.json'
    r = cli('evaluate', '--checkpoint', 'tiny', '--clips', SAMPLES/'driving', '--mode', 'same-id', '--max-frames', 12,
            '--json', '-o', out)
    assert r.returncode == 0, r.stderr
    res = json.loads(out.read_text())
    assert json.loads(r.stdout) == res
    assert set(res['clips']) == {'d18', 'tps_driving'} and res['mode'] == 'same-id'
    for who in ('model', 'copy_source'):
        m = res['mean'][who]
        assert 5 < m['psnr'] <= 100 and 0 < m['ssim'] <= 1 and m['akd'] >= 0 and m['hpd'] >= 0 and m['aed'] >= 0
        assert 0 < m['csim'] <= 1 and 50 < m['bci'] <= 100
        for k in ('lpips', 'fid'):   # offline here: null, with the reason in the notes
            assert m[k] is None or m[k] >= 0
            if m[k] is None: assert 'weights' in res['notes'][k]
    assert res['mean']['copy_source']['csim'] == pytest.approx(1.0, abs=1e-5)   # the source compared with itself
    assert res['mean']['copy_source']['bci'] == pytest.approx(100.0)
    assert res['notes']['landmarker'] == 'dlib'

def test_evaluate_cross_id_table():
    r = cli('evaluate', '--clips', SAMPLES/'driving', '--mode', 'cross-id', '--max-frames', 8)
    assert r.returncode == 0, r.stderr
    assert 'cross-id' in r.stdout and 'MEAN' in r.stdout and 'copy_source' in r.stdout
    assert 'psnr' not in r.stdout.splitlines()[1]   # no reference metrics without ground truth

def test_evaluate_cross_id_absolute():
    "--absolute feeds the driver's keypoints as they are: the output takes the driver's pose (HPD falls on each clip)."
    args = ('evaluate', '--clips', SAMPLES/'driving', '--mode', 'cross-id', '--max-frames', 8, '--json')
    rel, ab = (cli(*args, *extra) for extra in ((), ('--absolute',)))
    assert rel.returncode == 0 and ab.returncode == 0, rel.stderr + ab.stderr
    rel, ab = json.loads(rel.stdout), json.loads(ab.stdout)
    assert rel['relative'] is True and ab['relative'] is False
    for c in ('d18', 'tps_driving'):   # each bundled clip drives the other's first frame
        assert ab['clips'][c]['model']['hpd'] < rel['clips'][c]['model']['hpd']
    assert ab['mean']['model']['csim'] < rel['mean']['model']['csim']   # ... and its face shape: identity suffers

@pytest.mark.parametrize('args,words', [(('--clips', '/no/such/folder'), 'no such folder'),
                                        (('--clips', SAMPLES/'portraits'), 'no videos'),
                                        (('--clips', SAMPLES/'driving', '--checkpoint', 'nope'), 'no checkpoint'),
                                        (('--clips', SAMPLES/'driving', '--max-frames', 1), 'at least 2'),
                                        (('--clips', SAMPLES/'driving', '--absolute'), 'apply to --mode cross-id'),
                                        (('--clips', SAMPLES/'driving', '--mode', 'cross-id', '--ref_frame', 'first'),
                                         'frame number or best')])
def test_evaluate_bad_input(args, words):
    r = cli('evaluate', *args)
    assert r.returncode == 2 and 'Traceback' not in r.stderr and words in r.stderr, r.stderr
