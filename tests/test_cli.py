"The `mobileportrait` command as users run it: good input, and every bad-input case of the foundation issue."
import json
import numpy as np
import pytest
from PIL import Image
from conftest import SAMPLES, cli

FILES = {'crop.png', 'landmarks.json', 'fg_mask.png', 'landmark_mask.png', 'background.png'}

def check_prepared(out, size=256):
    "The five files exist, and the 68 landmarks lie on the face that dlib finds in crop.png."
    from mobileportrait.video import read_image, detect_faces
    assert {p.name for p in out.iterdir()} == FILES
    meta = json.loads((out/'landmarks.json').read_text())
    lmk = np.array(meta['landmarks'])
    assert lmk.shape == (68, 2) and meta['size'] == size
    crop = read_image(out/'crop.png')
    assert crop.shape == (size, size, 3)
    x0, y0, x1, y1 = detect_faces(crop)[0]
    pad = 0.15 * (x1 - x0)
    inside = (lmk[:, 0] > x0 - pad) & (lmk[:, 0] < x1 + pad) & (lmk[:, 1] > y0 - pad) & (lmk[:, 1] < y1 + pad)
    assert inside.mean() > 0.95, f'only {inside.mean():.0%} of the landmarks lie on the detected face'
    fg = read_image(out/'fg_mask.png')[..., 0] > 127
    xy = lmk.astype(int).clip(0, size - 1)
    assert fg[xy[:, 1], xy[:, 0]].mean() > 0.95, 'face is foreground'
    assert read_image(out/'landmark_mask.png').max() == 255 and read_image(out/'background.png').shape == crop.shape

def assert_user_error(r, out, *words):
    "Exit code 2, one clear `error:` line and no traceback on stderr, and no output written."
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert 'Traceback' not in r.stderr, r.stderr
    errors = [l for l in r.stderr.splitlines() if 'error:' in l]
    assert len(errors) == 1, r.stderr
    for w in words: assert w in errors[0], errors[0]
    assert not out.exists() or not any(out.iterdir()), f'partial output left in {out}'

@pytest.mark.parametrize('name', ['s12.jpg', 's42.jpg', 'Macron.png'])
def test_prepare_samples(tmp_path, name):
    r = cli('prepare', SAMPLES/'portraits'/name, '-o', tmp_path/'out')
    assert r.returncode == 0, r.stderr
    assert r.stdout.count('wrote ') == 5
    check_prepared(tmp_path/'out')

def test_prepare_size_512_and_no_crop(tmp_path):
    assert cli('prepare', SAMPLES/'portraits/s42.jpg', '-o', tmp_path/'a', '--size', 512).returncode == 0
    check_prepared(tmp_path/'a', 512)
    r = cli('prepare', tmp_path/'a'/'crop.png', '-o', tmp_path/'b', '--no-crop')
    assert r.returncode == 0, r.stderr
    check_prepared(tmp_path/'b')
    assert json.loads((tmp_path/'b'/'landmarks.json').read_text())['box'] is None

def test_prepare_video_first_frame(tmp_path):
    r = cli('prepare', SAMPLES/'driving/tps_driving.mp4', '-o', tmp_path/'out')
    assert r.returncode == 0, r.stderr
    check_prepared(tmp_path/'out')

def test_several_faces_takes_largest(tmp_path):
    a = np.array(Image.open(SAMPLES/'portraits/s42.jpg').convert('RGB'))
    small = np.array(Image.fromarray(a).resize((256, 256)))
    both = np.concatenate([a, np.pad(small, ((0, 256), (0, 0), (0, 0)), constant_values=255)], axis=1)
    Image.fromarray(both).save(tmp_path/'two.png')
    r = cli('prepare', tmp_path/'two.png', '-o', tmp_path/'out')
    assert r.returncode == 0, r.stderr
    assert '2 faces found' in r.stderr and 'largest' in r.stderr
    check_prepared(tmp_path/'out')
    lmk = np.array(json.loads((tmp_path/'out'/'landmarks.json').read_text())['landmarks'])
    assert np.ptp(lmk[:, 0]) > 60, 'the big face was used'
    assert '0: ' in r.stderr and '1: ' in r.stderr and '--face N' in r.stderr, 'the warning lists the faces'
    box0 = json.loads((tmp_path/'out'/'landmarks.json').read_text())['box']
    r = cli('prepare', tmp_path/'two.png', '-o', tmp_path/'face1', '--face', 1)
    assert r.returncode == 0 and 'faces found' not in r.stderr, r.stderr
    check_prepared(tmp_path/'face1')
    box1 = json.loads((tmp_path/'face1'/'landmarks.json').read_text())['box']
    assert box1['x0'] > box0['x0'] + 300 and box1['side'] < box0['side'], (box0, box1)   # the small face on the right
    for bad in (2, -1):
        assert_user_error(cli('prepare', tmp_path/'two.png', '-o', tmp_path/f'bad{bad}', '--face', bad),
                          tmp_path/f'bad{bad}', f'--face {bad}', 'has 2 faces')

def test_no_face(tmp_path):
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (300, 300, 3), dtype=np.uint8)).save(tmp_path/'noise.png')
    r = cli('prepare', tmp_path/'noise.png', '-o', tmp_path/'out')
    assert_user_error(r, tmp_path/'out', 'no face')

def test_not_an_image_or_video(tmp_path):
    (tmp_path/'notes.jpg').write_text('these are my notes, not a photo')
    out = tmp_path/'out'
    assert_user_error(cli('prepare', tmp_path/'notes.jpg', '-o', out), out, 'not an image or a video')

def test_empty_mp4(tmp_path):
    (tmp_path/'empty.mp4').write_bytes(b'')
    assert_user_error(cli('prepare', tmp_path/'empty.mp4', '-o', tmp_path/'out'), tmp_path/'out', 'empty')

@pytest.mark.parametrize('frac', [0.02, 0.5])
def test_truncated_mp4(tmp_path, frac):
    data = (SAMPLES/'driving/tps_driving.mp4').read_bytes()
    (tmp_path/'cut.mp4').write_bytes(data[:int(len(data) * frac)])
    assert_user_error(cli('prepare', tmp_path/'cut.mp4', '-o', tmp_path/'out'), tmp_path/'out', 'truncated')

def test_mp4_with_trailing_non_box_bytes_is_not_truncated(tmp_path):
    "Some encoders leave bytes after the last box that are no box at all (eamm/sad.mp4): ffmpeg plays such files."
    from mobileportrait.video import video_info
    data = (SAMPLES/'driving/tps_driving.mp4').read_bytes()
    (tmp_path/'tail.mp4').write_bytes(data + b'\x00\x01\x00\x00\x00\x00\x00\x04' + bytes(100))
    assert video_info(tmp_path/'tail.mp4').duration > 0

def test_missing_path(tmp_path):
    assert_user_error(cli('prepare', tmp_path/'nope.jpg', '-o', tmp_path/'out'), tmp_path/'out', 'no such file')

def test_unwritable_output(tmp_path):
    (tmp_path/'file').write_text('a file where a folder should be')
    for out in [tmp_path/'file', tmp_path/'file'/'sub']:
        r = cli('prepare', SAMPLES/'portraits/s12.jpg', '-o', out)
        assert r.returncode == 2 and 'cannot write' in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert (tmp_path/'file').read_text().startswith('a file')
    r = cli('prepare', SAMPLES/'portraits/s12.jpg', '-o', '/proc/mobileportrait-out')   # read-only even for root
    assert r.returncode == 2 and 'cannot write' in r.stderr and 'Traceback' not in r.stderr, r.stderr

def test_usage_errors(tmp_path):
    assert cli('frobnicate').returncode == 2
    assert cli().returncode == 2
    r = cli('--help'); assert r.returncode == 0 and 'prepare' in r.stdout
    assert cli('prepare', SAMPLES/'portraits/s12.jpg').returncode == 2   # -o is required

@pytest.mark.parametrize('rel', ['liveportrait/s1.jpg', 'liveportrait/s2.jpg', 'hallo/7.jpg', 'sadtalker/happy.png',
                                 'liveportrait/d9.jpg'])
def test_prepare_shared_portraits(tmp_path, shared_data, rel):
    "Portraits of other sizes (up to 3511²) from ../shared/data."
    r = cli('prepare', shared_data/rel, '-o', tmp_path/'out')
    assert r.returncode == 0, r.stderr
    check_prepared(tmp_path/'out')

def test_bench_json():
    r = cli('bench', '--configs', 'tiny', 'mp-4g', '--size', 128, '--runs', 3, '--threads', 1, '--no_ort', '--json')
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    assert [x['config'] for x in rows] == ['tiny', 'mp-4g']
    for x in rows:
        assert {'params_m', 'gmacs_frame', 'gmacs_prepare', 'ms_frame_torch'} <= set(x)
        assert x['gmacs_frame'] > 0 and x['ms_frame_torch'] > 0 and x['runs'] == 3

def test_bench_runtimes_json():
    "Without --no_ort, `bench` exports the frame graph both ways and times onnxruntime (and OpenVINO where installed)."
    import importlib.util
    r = cli('bench', '--configs', 'tiny', '--size', 64, '--runs', 1, '--threads', 1, '--json')
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout.splitlines()[-1])
    assert row['ms_frame_ort'] > 0 and row['onnx_mb'] > 0, row
    assert ('ms_frame_openvino' in row) == bool(importlib.util.find_spec('openvino')), row

def test_bench_race_keeps_report(tmp_path):
    "`bench --race` (issue 23) prints the race and adds a \"race\" key to an existing report, keeping its other keys."
    f = tmp_path/'bench.json'; f.write_text(json.dumps({'bench': [], 'report': None}))
    r = cli('bench', '--race', '--race_configs', 'mp-4g', 'tiny', '--size', 64, '--race_rounds', 1, '--threads', 1,
            '-o', f)
    assert r.returncode == 0, r.stderr
    saved = json.loads(f.read_text())
    assert {'bench', 'report', 'race'} <= set(saved) and {'cpu', 'cores', 'date'} <= set(saved['race']['machine'])
    assert 'mp-4g' in r.stdout and 'tiny' in r.stdout
    # the table run keeps the race too, and records its machine
    r = cli('bench', '--configs', 'tiny', '--size', 64, '--runs', 1, '--threads', 1, '--no_ort', '-o', f)
    assert r.returncode == 0, r.stderr
    saved = json.loads(f.read_text())
    assert {'bench', 'race', 'machine'} <= set(saved) and saved['bench'][0]['config'] == 'tiny'
    bad = cli('bench', '--race', '--race_configs', 'tps-mm', '--size', 64)
    assert bad.returncode == 2 and 'multiple of 128' in bad.stderr and 'Traceback' not in bad.stderr
    bad = cli('bench', '--race', '--race_streams', 2)      # streams are OpenVINO's: said before any work
    assert bad.returncode == 2 and 'needs --race_runtime openvino' in bad.stderr and 'Traceback' not in bad.stderr

def test_bench_race_in_a_runtime(tmp_path):
    """`bench --race --race_runtime onnx`: every contestant's per-frame graph in onnxruntime, TPS-MM's included, saved
    as race_onnx beside the torch race, each row with its difference to torch."""
    pytest.importorskip('onnxruntime')
    f = tmp_path/'bench.json'; f.write_text(json.dumps({'race': {'kept': True}}))
    r = cli('bench', '--race', '--race_configs', 'tps-mm', 'tiny', '--size', 128, '--race_rounds', 1, '--threads', 1,
            '--race_runtime', 'onnx', '-o', f)
    assert r.returncode == 0, r.stderr
    saved = json.loads(f.read_text())
    assert saved['race'] == {'kept': True} and saved['race_onnx']['runtime'] == 'onnx'
    assert [x['config'] for x in saved['race_onnx']['rows']] == ['tps-mm', 'tiny']
    assert all(x['max_abs_to_torch'] < 1e-3 and x['ms_median'] > 0 for x in saved['race_onnx']['rows'])
    assert 'onnx' in r.stdout.splitlines()[0]

def test_train_freeze_bad_part(tmp_path):
    r = cli('train', '--data', tmp_path, '--out', tmp_path/'run', '--freeze', 'keypoints')
    assert r.returncode == 2 and 'no model part keypoints' in r.stderr and 'Traceback' not in r.stderr

def test_bench_bad_config():
    r = cli('bench', '--configs', 'mp-1g')
    assert r.returncode == 2 and 'unknown config' in r.stderr and 'Traceback' not in r.stderr

ANIM = ('animate', '-s', 'S', '-d', 'D', '-o', 'o.mp4')
TRAIN = ('train', '--data', 'D', '--out', 'R')
BAD_OPTIONS = [   # issue 24: option values that ended in a traceback (or a 30 GB allocation) now give one error line
    ANIM + ('--size', '0'), ANIM + ('--size', '100000'), ANIM + ('--fps', '0'), ANIM + ('--fps', '-5'),
    ANIM + ('--views', '1000'), ('animate', '-s', 'S', '-a', 'A', '-o', 'o.mp4', '--articulation', 'nan'),
    ('crop', 'S', '-o', 'o.png', '--size', '0'), ('crop', 'S', '-o', 'o.png', '--margin', '-5'),
    ('prepare', 'S', '-o', 'dir', '--size', '0'), ('preprocess', 'V', '-o', 'dir', '--size', '0'),
    ('bench', '--threads', '0'), ('bench', '--runs', '0'), ('bench', '--race', '--race_streams', '0'),
    TRAIN + ('--batch_size', '0'), TRAIN + ('--threads', '0'), TRAIN + ('--lr', '-1'), TRAIN + ('--steps', '0'),
    TRAIN + ('--mouth_pairs', '1.5'), TRAIN + ('--init_disc', 'R0'),
    ('lipsync', 'V', '--max_frames', '-1'),
]

@pytest.mark.parametrize('argv', BAD_OPTIONS, ids=[' '.join(a[:1] + a[-2:]) for a in BAD_OPTIONS])
def test_bad_option_values(argv, tmp_path, capsys, monkeypatch):
    from mobileportrait.cli import main
    monkeypatch.chdir(tmp_path)
    assert main(list(argv)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and 'error: --' in err[0] and 'must be' in err[0], err
    assert not list(tmp_path.iterdir()), 'nothing written'

def _bad_checkpoints(d):
    "Checkpoints a careless script could pass: metadata that is not JSON, the audio models, NaN weights, a huge config."
    import json, torch
    from safetensors.torch import save_file, load_file
    from mobileportrait.model import WEIGHTS_DIR, load_model
    cfg = load_model('tiny').cfg.to_dict()
    save_file({'a': torch.zeros(1)}, str(d/'nojson.safetensors'), metadata={'config': '{not json'})
    huge = {**cfg, 'synthesis': {**cfg['synthesis'], 'block_expansion': 100000, 'max_features': 10**6}}
    save_file({'a': torch.zeros(1)}, str(d/'huge.safetensors'), metadata={'config': json.dumps(huge)})
    # a huge image: the dense motion's identity grid alone would take 500 GB (scripts/reliability_barrage.py found it)
    save_file({'a': torch.zeros(1)}, str(d/'hugesize.safetensors'),
              metadata={'config': json.dumps({'name': 'x', 'image_size': 10**6})})
    sd = load_file(str(WEIGHTS_DIR/'tiny.safetensors')); k = next(k for k, v in sd.items() if v.is_floating_point())
    sd[k] = torch.full_like(sd[k], float('nan'))
    save_file(sd, str(d/'nan.safetensors'), metadata={'config': json.dumps(cfg)})
    return {'nojson': 'does not parse', 'huge': 'do not match', 'hugesize': 'do not match', 'nan': 'NaN',
            'audio_tiny256': 'not a video-model', 'tiny256_disc': 'a discriminator'}

def test_bad_checkpoints(tmp_path, capsys):
    "issue 24: each refused with one error line, before any large allocation (shapes are checked on the meta device)."
    from mobileportrait.cli import main
    for name, msg in _bad_checkpoints(tmp_path).items():
        ck = name if name in ('audio_tiny256', 'tiny256_disc') else str(tmp_path/f'{name}.safetensors')   # shipped
        rc = main(['animate', '-s', str(SAMPLES/'portraits/s42.jpg'), '-d', str(SAMPLES/'driving/d18.mp4'),
                   '-o', str(tmp_path/'o.mp4'), '--checkpoint', ck])
        err = capsys.readouterr().err.strip().splitlines()
        assert rc == 2 and len(err) == 1 and msg in err[0], (name, err)
        assert not (tmp_path/'o.mp4').exists()
