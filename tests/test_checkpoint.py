"The shipped `tiny` checkpoint: loads offline by name, and beats copy-the-source on held-out clips of ../shared/data."
import json
import pytest
from conftest import SHARED

def test_load_shipped_offline():
    from mobileportrait.model import load_model, WEIGHTS_DIR
    m = load_model()                       # no argument: the shipped tiny
    assert m.cfg.name == 'tiny' and not m.training
    assert (WEIGHTS_DIR/'tiny.safetensors').stat().st_size <= 20 * 2**20
    for f in ('tiny_config.json', 'tiny_log.jsonl', 'tiny_eval.json'): assert (WEIGHTS_DIR/f).exists(), f

def test_shipped_beats_copy_source(shared_data, tmp_path):
    "Same identity on the first 100 frames (4 s) of each held-out clip, every 2nd frame: PSNR up, AKD down vs copy-source."
    from mobileportrait.model import load_model
    from mobileportrait.train import preprocess_clip, Clip, validate, VAL_CLIPS
    clips = []
    for name in VAL_CLIPS:
        folder, stem = name.split('_', 1)
        clips.append(Clip(preprocess_clip(shared_data/folder/f'{stem}.mp4', tmp_path, size=256, name=name, max_frames=100)))
    r = validate(load_model('tiny'), clips, every=2)
    print(json.dumps(r))
    assert r['psnr'] > r['psnr_copy'], r
    assert r['akd'] < r['akd_copy'], r
    assert r['no_face'] < 0.5, r   # dlib finds no face on ~1/3 of the soft 128² outputs (upsampled); AKD is over the rest
