"""Issue 24's bad-input cases run as a user would: `mobileportrait ...` in a fresh process each, in a scratch folder.
A case passes with exit 2, exactly one `error:` line, no traceback, no new or changed file and /dev/null intact. The
test suite checks the same cases in-process (tests/test_reliability.py, test_cli.py, test_long_inputs.py,
test_train.py, test_animate.py: signals); this is the outside view. About 3 minutes.

    python scripts/reliability_barrage.py
"""
import subprocess, os, sys, shutil, hashlib, json, tempfile
from pathlib import Path
S = Path(__file__).resolve().parents[1]/'data_samples'
w = Path(tempfile.mkdtemp(prefix='barrage_')); os.chdir(w)
shutil.copy(S/'portraits/s42.jpg', 's.jpg'); shutil.copy(S/'driving/d18.mp4', 'd.mp4')
import imageio_ffmpeg
subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), '-loglevel', 'error', '-y', '-i', 'd.mp4', '-an', '-c', 'copy',
                'silent.mp4'])
from PIL import Image; Image.new('RGB', (14000, 14000)).save('big.jpg', quality=10)
Path('file').write_text('x'); Path('bad.json').write_text('{}')
import torch
from safetensors.torch import save_file
save_file({'w': torch.zeros(2)}, 'badmeta.safetensors', metadata={'config': 'not json {'})
save_file({'w': torch.zeros(2)}, 'huge.safetensors',
          metadata={'config': json.dumps({'name': 'x', 'image_size': 10**6})})
import pickle; Path('syncnet.model').write_bytes(pickle.dumps({'weights': [1, 2, 3]}))
Path('clips.txt').write_text('d.mp4\n')
A = ['animate', '-s', 's.jpg', '-d', 'd.mp4', '--checkpoint', 'tiny']
cases = {
 'animate -o its driving video --overwrite': A + ['-o', 'd.mp4', '--overwrite'],
 'animate -o /dev/null --overwrite': A + ['-o', '/dev/null', '--overwrite'],
 'animate -o o.png (silent driver)': ['animate', '-s', 's.jpg', '-d', 'silent.mp4', '--checkpoint', 'tiny',
                                      '-o', 'o.png'],
 'crop -o .png from video': ['crop', 'd.mp4', '-o', 'c.png'],
 'animate --size 0': A + ['-o', 'o.mp4', '--size', '0'],
 'animate --size -1': A + ['-o', 'o.mp4', '--size', '-1'],
 'animate --size 100000': A + ['-o', 'o.mp4', '--size', '100000'],
 'animate --fps 0': A + ['-o', 'o.mp4', '--fps', '0'],
 'animate --fps -5': A + ['-o', 'o.mp4', '--fps', '-5'],
 'animate --views 1000': A + ['-o', 'o.mp4', '--views', '1000'],
 'animate --articulation nan': ['animate', '-s', 's.jpg', '--audio', str(S/'audio/Obama_5s.wav'), '-o', 'o.mp4',
                                '--articulation', 'nan'],
 'crop --size 0': ['crop', 's.jpg', '-o', 'c.png', '--size', '0'],
 'crop --margin -5': ['crop', 's.jpg', '-o', 'c.png', '--margin', '-5'],
 'prepare --size 0': ['prepare', 's.jpg', '-o', 'p', '--size', '0'],
 'preprocess --size 0': ['preprocess', '.', '-o', 'pp', '--size', '0'],
 'bench --threads 0': ['bench', '--configs', 'tiny', '--threads', '0'],
 'bench --runs 0': ['bench', '--configs', 'tiny', '--runs', '0'],
 'train --batch_size 0': ['train', '--data', '.', '--out', 'run', '--batch_size', '0'],
 'train --threads 0': ['train', '--data', '.', '--out', 'run', '--threads', '0'],
 'train --lr -1': ['train', '--data', '.', '--out', 'run', '--lr', '-1'],
 'train --steps 0': ['train', '--data', '.', '--out', 'run', '--steps', '0'],
 'train --init_disc without --adversarial': ['train', '--data', '.', '--out', 'run', '--init_disc', 'tiny256'],
 'train --data /missing': ['train', '--data', '/missing', '--out', 'run2', '--steps', '2'],
 'lipsync --max_frames -1': ['lipsync', 'd.mp4', '--max_frames', '-1'],
 'animate -s 14000² jpeg': ['animate', '-s', 'big.jpg', '-d', 'd.mp4', '-o', 'o.mp4'],
 'animate checkpoint non-JSON metadata': A[:-1] + ['badmeta.safetensors', '-o', 'o.mp4'],
 'animate checkpoint huge config': A[:-1] + ['huge.safetensors', '-o', 'o.mp4'],
 'animate --checkpoint audio_tiny': A[:-1] + ['audio_tiny', '-o', 'o.mp4'],
 'lipsync pickle SyncNet weights': ['lipsync', 'd.mp4', '--syncnet_weights', 'syncnet.model', '--max_frames', '10'],
 'evaluate -o read-only': ['evaluate', '--clips', 'd.mp4', '-o', '/proc/mp.json'],
 'evaluate --clips FILE (a text file)': ['evaluate', '--clips', 'clips.txt'],
 'export -o an existing file': ['export', '--config', 'tiny', '-o', 'file'],
 'export -o read-only folder': ['export', '--config', 'tiny', '-o', '/proc/mp-export'],
 'bench -o read-only': ['bench', '--configs', 'tiny', '-o', '/proc/mp.json'],
}
def snap():
    return {str(p): hashlib.md5(p.read_bytes()).hexdigest() for p in Path('.').rglob('*') if p.is_file()}
rows = []
for name, argv in cases.items():
    before = snap()
    r = subprocess.run(['mobileportrait'] + argv, capture_output=True, text=True, timeout=600)
    err = [l for l in r.stderr.splitlines() if 'error:' in l]
    after = snap()
    changed = sorted(set(after.items()) ^ set(before.items()))
    devnull_ok = os.path.exists('/dev/null') and not os.path.isfile('/dev/null')
    tb = 'Traceback' in r.stderr
    ok = r.returncode == 2 and len(err) == 1 and not tb and not changed and devnull_ok
    rows.append((name, r.returncode, len(err), tb, len(changed), ok, err[0][:110] if err else r.stderr.strip()[-150:]))
    print(('PASS' if ok else 'FAIL'),
          f'{name:40s} rc={r.returncode} errors={len(err)} tb={tb} changed={len(changed)} | {rows[-1][-1]}', flush=True)
print(sum(r[5] for r in rows), 'of', len(rows), 'pass')
