"preprocess and train as users run them: resumable preprocessing, kill -9 + --resume, and bad input."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
from conftest import SAMPLES, cli

@pytest.fixture(scope='module')
def data(tmp_path_factory):
    "Two short clips (the bundled driving videos cut to 2 s), preprocessed at 128²."
    from mobileportrait.video import VideoReader, write_video
    d = tmp_path_factory.mktemp('train')
    for name in ['d18.mp4', 'tps_driving.mp4']:
        write_video(d/'videos'/name, VideoReader(SAMPLES/'driving'/name, max_frames=50))
    (d/'videos'/'notes.mp4').write_text('not a video')
    r = cli('preprocess', d/'videos', '-o', d/'data', '--size', 128)
    assert r.returncode == 0, r.stderr
    assert 'skipped' in r.stderr and 'notes' in r.stderr
    return d

def test_preprocess_outputs_and_resume(data):
    clips = sorted(p.name for p in (data/'data').iterdir() if not p.name.startswith('.'))
    assert clips == ['d18', 'tps_driving'], clips
    meta = json.loads((data/'data'/'d18'/'meta.json').read_text())
    assert meta['frames'] == 50 and meta['size'] == 128
    from mobileportrait.train import Clip
    assert Clip(data/'data'/'d18').frames[49].shape == (128, 128, 3)
    t = time.time()
    r = cli('preprocess', data/'videos', '-o', data/'data', '--size', 128)   # everything cached: nothing recomputed
    assert r.returncode == 0 and time.time() - t < 20

def test_preprocess_bad_input(tmp_path):
    r = cli('preprocess', tmp_path/'missing', '-o', tmp_path/'out')
    assert r.returncode == 2 and 'not a folder' in r.stderr
    (tmp_path/'empty').mkdir()
    r = cli('preprocess', tmp_path/'empty', '-o', tmp_path/'out')
    assert r.returncode == 2 and 'no video files' in r.stderr

def _steps(run: Path) -> list[int]:
    return [json.loads(l)['step'] for l in (run/'log.jsonl').read_text().splitlines() if 'val' not in l]

def test_kill_and_resume(data, tmp_path):
    "Kill -9 a training run mid-way; --resume continues from the last checkpoint and the step count goes on."
    run = tmp_path/'run'
    exe = [sys.executable, '-c', 'import sys; from mobileportrait.cli import main; sys.exit(main())']
    args = ['train', '--config', 'tiny', '--data', str(data/'data'), '--out', str(run), '--steps', '12',
            '--batch_size', '2', '--ckpt_every', '3', '--val_every', '0']
    p = subprocess.Popen(exe + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and not ((run/'log.jsonl').exists() and len(_steps(run)) >= 5): time.sleep(0.2)
    p.send_signal(signal.SIGKILL); p.wait()
    done = _steps(run)
    assert 5 <= len(done) < 12, done
    r = cli(*args, '--resume')
    assert r.returncode == 0, r.stderr
    steps = _steps(run)
    assert steps == list(range(1, 13)), steps          # resumed at the last multiple of 3, continued to 12
    lost = len(done) - (len(done) // 3) * 3
    assert lost < 3, 'at most one checkpoint interval is redone'
    from mobileportrait.model import load_model
    assert load_model(run).cfg.name == 'tiny'

def test_train_mouth_pairs(data, tmp_path):
    "`train --mouth_pairs`: the run records the share, and its batches differ from the uniform run's."
    from mobileportrait.train import TrainConfig
    common = ('train', '--config', 'tiny', '--data', data/'data', '--steps', 2, '--batch_size', 2, '--val_every', 0,
              '--threads', 1)
    for run, share in (('mined', 1.0), ('uniform', 0.0)):
        r = cli(*common, '--out', tmp_path/run, '--mouth_pairs', share)
        assert r.returncode == 0, r.stderr
    cfg = TrainConfig.from_dict(json.loads((tmp_path/'mined'/'config.json').read_text())['train'])
    assert cfg.mouth_pairs == 1.0
    loss = lambda run: [json.loads(l)['total'] for l in (tmp_path/run/'log.jsonl').read_text().splitlines()]
    assert loss('mined') != loss('uniform')

def test_train_init_disc(data, tmp_path):
    "`train --init_disc RUN`: a continuation's discriminator starts from the earlier run's, recorded in its config."
    from mobileportrait.train import TrainConfig
    common = ('train', '--config', 'tiny', '--data', data/'data', '--steps', 1, '--batch_size', 2, '--val_every', 0,
              '--threads', 1, '--adversarial', 0.1, '--feature_matching', 1)
    r = cli(*common, '--out', tmp_path/'first')
    assert r.returncode == 0, r.stderr
    disc = lambda run: [json.loads(l)['disc'] for l in (tmp_path/run/'log.jsonl').read_text().splitlines()]
    for run, extra in (('fresh', ()), ('reused', ('--init_disc', tmp_path/'first'))):
        r = cli(*common, '--init', tmp_path/'first', '--out', tmp_path/run, *extra)
        assert r.returncode == 0, r.stderr
    cfg = TrainConfig.from_dict(json.loads((tmp_path/'reused'/'config.json').read_text())['train'])
    assert cfg.init_disc == str(tmp_path/'first')
    assert disc('reused') != disc('fresh')      # same generator and batch, another discriminator
    r = cli(*common, '--out', tmp_path/'bad', '--init_disc', tmp_path/'nothing')
    assert r.returncode == 2 and 'trainer.safetensors' in r.stderr
    r = cli(*common, '--out', tmp_path/'shipped', '--init_disc', 'tiny256')   # the discriminator tiny256 shipped with
    assert r.returncode == 0, r.stderr
    assert disc('shipped') not in (disc('fresh'), disc('reused'))

def test_train_refuses_to_overwrite(data, tmp_path):
    (tmp_path/'run').mkdir(); (tmp_path/'run'/'x').write_text('old run')
    r = cli('train', '--data', data/'data', '--out', tmp_path/'run', '--steps', 1)
    assert r.returncode == 2 and 'not empty' in r.stderr
    r = cli('train', '--data', tmp_path/'nodata', '--out', tmp_path/'run2', '--steps', 1)
    assert r.returncode == 2 and 'no such data folder' in r.stderr


def test_pack_and_gpu_script_on_cpu(data, tmp_path):
    """`pack` makes a training pack within its budget, and scripts/train_gpu.sh trains from it, as on the GPU machine:
    without dlib, ffmpeg or fastcore (imports blocked), then writes weight shards, the log and a held-out evaluation."""
    from mobileportrait.train import Clip
    r = cli('pack', data/'data', '-o', tmp_path/'pack', '--max_mb', 0.4)
    assert r.returncode == 0, r.stderr
    info = json.loads((tmp_path/'pack'/'pack.json').read_text())
    assert info['mb'] <= 0.4 and info['every'] > 1 and (tmp_path/'pack'/'validation.tsv').exists()
    # the pack's split names the shared clips; here one of the two bundled clips stands in for the validation people
    (tmp_path/'pack'/'validation.tsv').write_text('person\tclip\tfile\np1\ttps_driving\ttps_driving.mp4\n')
    block = tmp_path/'site'; block.mkdir()
    (block/'sitecustomize.py').write_text(
        "import sys, importlib.abc\n"
        "class B(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'dlib', 'imageio_ffmpeg', 'fastcore', 'face_recognition_models'}:\n"
        "            raise ImportError(name + ' is not on the GPU machine')\n"
        "sys.meta_path.insert(0, B())\n")
    env = dict(os.environ, PYTHONPATH=str(block), DEVICE='cpu', CONFIG='tiny', BS='2', WORKERS='1', STEPS='3',
               RUN=str(tmp_path/'run'), INIT_DISC='tiny256', MOUTH='1', MOUTH_PAIRS='0.5')
    out = tmp_path/'out'
    r = subprocess.run(['bash', 'scripts/train_gpu.sh', str(tmp_path/'pack'), str(out), '5', 'tiny'], env=env,
                       capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent.parent)
    assert r.returncode == 0, r.stderr[-3000:]
    ev = json.loads((out/'eval.json').read_text())
    assert ev['steps'] == 3 and ev['model']['frames'] > 0 and np.isfinite(ev['model']['psnr']) and 'init' in ev
    assert np.isnan(ev['model']['akd']), 'no dlib there: AKD is skipped, not faked'
    shards = sorted(out.glob('model-*-of-*.safetensors'))
    assert shards and len(list(out.iterdir())) <= 8
    from mobileportrait.train import join_shards
    from mobileportrait.model import load_model
    assert load_model(join_shards(out, tmp_path/'w.safetensors')).cfg.name == 'tiny'
    # the discriminator comes back too (started from the shipped tiny256's), for the next run's INIT_DISC
    from mobileportrait.train import init_discriminator, TrainConfig
    from mobileportrait.losses import MultiScaleDiscriminator
    cfg = TrainConfig.from_dict(json.loads((tmp_path/'run'/'config.json').read_text())['train'])
    assert cfg.init_disc == 'tiny256' and cfg.mouth_pairs == 0.5 and cfg.loss.mouth == 1.0
    assert init_discriminator(MultiScaleDiscriminator(cfg.disc), out/'disc.safetensors') > 0

def test_failures_leave_nothing(tmp_path):
    """issue 24: a missing --data leaves no run folder behind (so the corrected retry works), bad clips leave no
    partials."""
    r = cli('train', '--data', tmp_path/'missing', '--out', tmp_path/'run', '--steps', 2)
    assert r.returncode == 2 and 'no such data folder' in r.stderr and not (tmp_path/'run').exists()
    (tmp_path/'videos').mkdir()
    (tmp_path/'videos'/'broken.mp4').write_bytes((SAMPLES/'driving'/'d18.mp4').read_bytes()[:3000])
    (tmp_path/'videos'/'text.mp4').write_text('not a video')
    r = cli('preprocess', tmp_path/'videos', '-o', tmp_path/'data')
    assert r.returncode == 0 and r.stderr.count('skipped') == 2, r.stderr
    assert not (tmp_path/'data').exists() or not list((tmp_path/'data').iterdir()), 'no partial folders'

def test_gpu_payload_fits(tmp_path):
    """A device call carries the working tree plus its `carry` paths, 64 MiB in all (scripts/gpu_payload.py): the tree
    must leave room for a training pack, and a call that would be refused is caught here, before it costs a try."""
    root = Path(__file__).parent.parent
    sys.path.insert(0, str(root/'scripts'))
    try: import gpu_payload
    finally: sys.path.pop(0)
    room = gpu_payload.LIMIT_MIB - gpu_payload.tree_bytes(root) / 2**20
    assert room >= 20, (f'the working tree leaves only {room:.1f} MiB beside it for a training pack: '
                        'a GPU session could not carry one (keep large files out of git)')
    r = subprocess.run([sys.executable, 'scripts/gpu_payload.py'], cwd=root, capture_output=True, text=True)
    assert r.returncode == 0 and 'fits' in r.stdout, r.stdout + r.stderr
    big = tmp_path/'pack'; big.mkdir()
    with open(big/'clip.npz', 'wb') as f: f.truncate(int(room + 1) * 2**20)   # sparse: costs no disk
    r = subprocess.run([sys.executable, 'scripts/gpu_payload.py', str(big)], cwd=root, capture_output=True, text=True)
    assert r.returncode == 1 and 'OVER the limit' in r.stdout, r.stdout + r.stderr
