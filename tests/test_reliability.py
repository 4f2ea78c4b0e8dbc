"""Issue 24's regression table: outputs that would destroy a file, untrusted inputs, a full disk, Ctrl-C at start-up.
Each case asserts the exit code, exactly one `error:` line, no traceback, and that no file was added, changed or removed
in the working folder (where the inputs also live). Option values and bad checkpoints are in tests/test_cli.py."""
import os, resource, shutil, signal, subprocess, sys, time
import numpy as np
import pytest
from PIL import Image
from conftest import SAMPLES, cli

def big_jpeg(path, side=14000):
    "A small JPEG whose header claims `side`² pixels (a decompression bomb: PIL alone would try to decode 588 MB)."
    Image.fromarray(np.zeros((16, 16, 3), np.uint8)).save(path, quality=90)
    b = bytearray(path.read_bytes())
    i = b.index(b'\xff\xc0')                           # start of frame: length(2) precision(1) height(2) width(2)
    b[i + 5:i + 7] = b[i + 7:i + 9] = side.to_bytes(2, 'big')
    path.write_bytes(bytes(b))

@pytest.fixture
def work(tmp_path, monkeypatch):
    "A working folder holding the inputs a careless user points outputs at: links to them, a folder, a device link."
    shutil.copy(SAMPLES/'driving/d18.mp4', tmp_path/'d.mp4'); shutil.copy(SAMPLES/'portraits/s42.jpg', tmp_path/'s.jpg')
    shutil.copy(SAMPLES/'portraits/s42.jpg', tmp_path/'crop.png')
    os.link(tmp_path/'d.mp4', tmp_path/'hard.mp4'); os.symlink(tmp_path/'d.mp4', tmp_path/'soft.mp4')
    os.symlink('/dev/null', tmp_path/'dev.mp4'); (tmp_path/'folder.mp4').mkdir(); (tmp_path/'file').write_text('x')
    big_jpeg(tmp_path/'big.jpg'); big_jpeg(tmp_path/'big9k.jpg', 9000)   # above PIL's own limit, and below it
    monkeypatch.chdir(tmp_path)
    return tmp_path

def snapshot(d) -> dict:
    "Every entry under `d` with what would show a change: kind, size, mtime, inode."
    def entry(p):
        s = os.lstat(p)
        return p.is_symlink(), p.is_dir(), s.st_size, s.st_mtime_ns, s.st_ino
    return {str(p.relative_to(d)): entry(p) for p in sorted(d.rglob('*'))}

def assert_one_error(rc, err, words, want_rc=2):
    lines = err.strip().splitlines()
    assert rc == want_rc, (rc, err)
    assert 'Traceback' not in err, err
    errors = [l for l in lines if 'error:' in l]
    assert len(errors) == 1, err
    for w in words: assert w in errors[0], errors[0]

A = ('animate', '-s', 's.jpg', '-d', 'd.mp4', '--checkpoint', 'tiny', '--overwrite', '-o')
CASES = {   # id: (argv, words in the error line)
    'animate -o its driving video': (A + ('d.mp4',), ['also an input']),
    'animate -o a hard link to its input': (A + ('hard.mp4',), ['also an input']),
    'animate -o a symlink to its input': (A + ('soft.mp4',), ['also an input']),
    'animate -o a link to a device': (A + ('dev.mp4',), ['not a regular file']),
    'animate -o a device': (A + ('/dev/null',), ['suffix-less']),
    'animate -o a folder': (A + ('folder.mp4',), ['not a regular file']),
    'animate -o o.png': (A + ('o.png',), ['.png', '.mp4']),
    'animate -s 14000² jpeg': (('animate', '-s', 'big.jpg', '-d', 'd.mp4', '-o', 'o.mp4'), ['MP limit']),
    'prepare 9000² jpeg': (('prepare', 'big9k.jpg', '-o', 'out'), ['81 MP', 'MP limit']),
    'crop video -o .png': (('crop', 'd.mp4', '-o', 'c.png'), ['.png', '.mp4']),
    'crop image -o .mp4': (('crop', 's.jpg', '-o', 'c.mp4'), ['.mp4', '.png']),
    'crop -o its input': (('crop', 's.jpg', '-o', 's.jpg', '--overwrite'), ['also an input']),
    'crop 14000² jpeg': (('crop', 'big.jpg', '-o', 'c.png'), ['MP limit']),
    'prepare 14000² jpeg': (('prepare', 'big.jpg', '-o', 'out'), ['MP limit']),
    'prepare over its input': (('prepare', 'crop.png', '-o', '.'), ['also an output']),
    'export -o a file': (('export', '--config', 'tiny', '-o', 'file'), ['not a folder']),
    'export -o read-only': (('export', '--config', 'tiny', '-o', '/proc/mobileportrait-export'), ['cannot write']),
    'bench -o read-only': (('bench', '--configs', 'tiny', '-o', '/proc/mobileportrait.json'), ['cannot write']),
    'bench -o .txt': (('bench', '--configs', 'tiny', '-o', 'r.txt'), ['.txt']),
    'evaluate -o read-only': (('evaluate', '--clips', 'd.mp4', '-o', '/proc/mobileportrait.json'), ['cannot write']),
    'evaluate -o its clip': (('evaluate', '--clips', 'd.mp4', '-o', 'd.mp4'), ['.mp4']),
    'train --steps 0': (('train', '--data', '.', '--out', 'run', '--steps', '0'), ['--steps']),
    'animate --relative --absolute': (A + ('o.mp4', '--relative', '--absolute'), ['exclude each other']),
    'train-audio without --videos': (('train-audio',), ['--videos']),   # no default into ../shared/data
    'train-audio --ship into a missing folder': (('train-audio', '--videos', '.', '--ship', 'nowhere'), ['--ship']),
    'ablate without --videos': (('ablate', '--data', '.'), ['--videos']),
}

@pytest.mark.parametrize('case', list(CASES))
def test_refused(case, work, capsys):
    "Refused before any work: exit 2, one error line, nothing written, the inputs and the device untouched."
    from mobileportrait.cli import main
    argv, words = CASES[case]
    before = snapshot(work)
    try: rc = main(list(argv))
    except SystemExit as e: rc = e.code   # argparse's own usage errors (a missing required option)
    assert_one_error(rc, capsys.readouterr().err, words)
    assert snapshot(work) == before
    assert os.path.exists('/dev/null') and not os.path.isfile('/dev/null')

def test_pickle_as_syncnet_weights(work, capsys):
    "A pickle (it could run code) is refused by `weights_only` loading, with one line."
    import pickle
    from mobileportrait.cli import main
    (work/'syncnet.model').write_bytes(pickle.dumps({'weights': [1, 2, 3]}))
    before = snapshot(work)
    rc = main(['lipsync', 'd.mp4', '--syncnet_weights', 'syncnet.model', '--max_frames', '10'])
    assert_one_error(rc, capsys.readouterr().err, ['not a SyncNet weights file', 'Python objects'])
    assert snapshot(work) == before

def _file_limit(nbytes):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return pre

FULL_DISK = {   # writes beyond a file-size limit fail with EFBIG, as on a full disk (works as root, unlike chmod)
    'bench -o': ((('bench', '--configs', 'tiny', '--size', '64', '--runs', '1', '--no_ort', '-o', 'r.json')), 200),
    'crop -o video': (('crop', 'd.mp4', '-o', 'c.mp4'), 30_000),
    'crop -o image': (('crop', 's.jpg', '-o', 'c.png'), 3_000),
    'animate -o': (('animate', '-s', 's.jpg', '-d', 'd.mp4', '--checkpoint', 'tiny', '-o', 'o.mp4', '--size', '128'),
                   20_000),
    'export -o': (('export', '--config', 'tiny', '--size', '128', '-o', 'ex'), 100_000),
}

@pytest.mark.parametrize('case', list(FULL_DISK))
def test_full_disk(case, work):
    "A write that fails half-way: one `cannot write` line, exit 2, no partial file."
    argv, limit = FULL_DISK[case]
    exe = shutil.which('mobileportrait') or pytest.skip('the mobileportrait command is not installed')
    before = snapshot(work)
    r = subprocess.run([exe, *argv], capture_output=True, text=True, preexec_fn=_file_limit(limit), timeout=600)
    assert_one_error(r.returncode, r.stderr, ['cannot write'])
    assert snapshot(work) == before

@pytest.mark.parametrize('delay', [0.3, 1.0, 2.5])
def test_ctrl_c_during_start_up(delay, work):
    """Ctrl-C while torch and dlib import (by 2.5 s a quiet machine is already tracking the driving clip): exit 130,
    one line besides the tracking progress bar, no traceback, nothing written."""
    exe = shutil.which('mobileportrait') or pytest.skip('the mobileportrait command is not installed')
    before = snapshot(work)
    p = subprocess.Popen([exe, *A, 'o.mp4'], stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    p.send_signal(signal.SIGINT)
    err = p.communicate(timeout=120)[1]
    assert p.returncode == 130 and 'Traceback' not in err and 'interrupted' in err, (p.returncode, err)
    assert [l for l in err.strip().splitlines() if not l.startswith('track:')] == ['mobileportrait: interrupted'], err
    assert snapshot(work) == before

@pytest.mark.parametrize('after', [0.0, 0.15])
def test_ctrl_c_as_tracking_starts(after, work):
    """Ctrl-C just as the driving clip's tracking thread starts (inside dlib): exit 130, no abort ('terminate called
    without an active exception', exit -6) or hang from a thread left running at exit, nothing written."""
    exe = shutil.which('mobileportrait') or pytest.skip('the mobileportrait command is not installed')
    before = snapshot(work)
    p = subprocess.Popen([exe, *A, 'o.mp4'], stderr=subprocess.PIPE, text=True, bufsize=0)
    seen = ''
    while 'track' not in seen and p.poll() is None: seen += p.stderr.read(1)   # the tracking progress bar appears
    time.sleep(after)
    p.send_signal(signal.SIGINT)
    err = seen + p.communicate(timeout=60)[1]
    assert p.returncode == 130 and 'Traceback' not in err and 'terminate' not in err, (p.returncode, err)
    assert err.strip().splitlines()[-1] == 'mobileportrait: interrupted', err
    assert snapshot(work) == before

def test_runtime_onnx_without_onnxruntime(work, capsys, monkeypatch):
    "`--runtime onnx` where onnxruntime is not installed: one line naming the extra; `auto` falls back to torch."
    import importlib.util
    from mobileportrait.cli import main, render_with
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name, *a: None if name == 'onnxruntime' else real(name, *a))
    before = snapshot(work)
    assert_one_error(main(list(A) + ['o.mp4', '--runtime', 'onnx']), capsys.readouterr().err, ['mobileportrait[fast]'])
    assert snapshot(work) == before
    assert render_with('auto') is None and render_with('torch') is None

def test_runtime_auto_picks_the_fastest_installed(work, capsys, monkeypatch):
    "`auto` renders with OpenVINO when it is installed, else onnxruntime; `--runtime openvino` without it: one line."
    import importlib.util
    from mobileportrait.cli import main, render_with
    from mobileportrait.export import OnnxRenderer, OpenVinoRenderer
    real = importlib.util.find_spec
    if real('openvino') and real('onnxruntime'):
        assert render_with('auto') is OpenVinoRenderer and render_with('onnx') is OnnxRenderer
    monkeypatch.setattr(importlib.util, 'find_spec', lambda name, *a: None if name == 'openvino' else real(name, *a))
    assert render_with('auto') is (OnnxRenderer if real('onnxruntime') else None)
    before = snapshot(work)
    assert_one_error(main(list(A) + ['o.mp4', '--runtime', 'openvino']), capsys.readouterr().err,
                     ['mobileportrait[openvino]'])
    assert snapshot(work) == before
