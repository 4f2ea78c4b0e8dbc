"Audio-driven animation as users run it: `animate -a`, and every bad-audio case of the audio issue."
import wave
import numpy as np
import pytest
from conftest import SAMPLES, cli

def write_wav(path, x, sr, channels=1):
    a = (np.clip(np.asarray(x, np.float32).reshape(-1, channels), -1, 1) * 32767).astype('<i2')
    with wave.open(str(path), 'wb') as w:
        w.setnchannels(channels); w.setsampwidth(2); w.setframerate(sr); w.writeframes(a.tobytes())
    return path

def test_animate_audio_sample(tmp_path):
    from mobileportrait.video import video_info
    out = tmp_path/'talk.mp4'
    r = cli('animate', '-s', SAMPLES/'portraits/s42.jpg', '-a', SAMPLES/'audio/Obama_5s.wav', '-o', out)  # 16 kHz, 2 ch
    assert r.returncode == 0, r.stderr
    info = video_info(out)
    assert info.has_audio and abs(info.duration - 5.0) < 0.15 and info.size == (256, 256), info
    assert 'wrote' in r.stdout

def test_animate_audio_other_rate_and_silence(tmp_path):
    from mobileportrait.video import video_info, VideoReader
    t = np.arange(44100) / 44100
    tone = write_wav(tmp_path/'tone44k.wav', np.stack([np.sin(2 * np.pi * 220 * t)] * 2, 1) * 0.3, 44100, channels=2)
    silence = write_wav(tmp_path/'silence8k.wav', np.zeros(8000), 8000)
    for wav in (tone, silence):
        out = tmp_path/f'{wav.stem}.mp4'
        r = cli('animate', '-s', SAMPLES/'portraits/s12.jpg', '-a', wav, '-o', out, '--motion', 'sway')
        assert r.returncode == 0, r.stderr
        assert abs(video_info(out).duration - 1.0) < 0.1
    frames = [f.astype(np.float32) for f in VideoReader(tmp_path/'silence8k.mp4')]
    assert np.abs(frames[-1] - frames[-2]).mean() < 3     # silence, still pose: a still face (sway moves slowly)

def test_long_audio_streams():
    from mobileportrait.audio import load_audio, load_audio_models, speech_landmarks
    from mobileportrait.face_knowledge import prepare_source
    wav = np.tile(load_audio(SAMPLES/'audio/Obama_5s.wav'), 13)          # 65 s
    am = load_audio_models()
    sk = prepare_source(SAMPLES/'portraits/s42.jpg', size=128)
    lm = speech_landmarks(am, wav, sk.landmarks, 128)
    import math
    assert len(wav) > 60 * 16000 and lm.shape == (math.ceil(len(wav) / 16000 * 25), 68, 2) and np.isfinite(lm).all()

@pytest.mark.parametrize('make,words', [
    (lambda d: (d/'notes.txt').write_text('hello') and d/'notes.txt', 'cannot read audio'),
    (lambda d: (d/'bad.wav').write_bytes(b'RIFF\x00\x00\x00\x00WAVEjunkjunk') and d/'bad.wav', 'cannot read audio'),
    (lambda d: d/'missing.wav', 'missing.wav'),
    (lambda d: SAMPLES/'portraits/s42.jpg', 'audio'),
])
def test_bad_audio(tmp_path, make, words):
    out = tmp_path/'o.mp4'
    r = cli('animate', '-s', SAMPLES/'portraits/s42.jpg', '-a', make(tmp_path), '-o', out)
    assert r.returncode == 2 and words in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert not out.exists()

def test_audio_option_errors(tmp_path):
    r = cli('animate', '-s', SAMPLES/'portraits/s42.jpg', '-o', tmp_path/'o.mp4')
    assert r.returncode == 2 and 'driving video (-d VIDEO) or speech audio (-a AUDIO)' in r.stderr
    speech = ('-s', SAMPLES/'portraits/s42.jpg', '-a', SAMPLES/'audio/Obama_5s.wav', '-o', tmp_path/'o.mp4')
    video = ('-s', SAMPLES/'portraits/s42.jpg', '-d', SAMPLES/'driving/d18.mp4', '-o', tmp_path/'o.mp4')
    r = cli('animate', *speech, '--paste-back')
    assert r.returncode == 2 and 'cannot be used with --audio' in r.stderr
    r = cli('animate', *video, '--articulation', '1')
    assert r.returncode == 2 and '--articulation needs --audio' in r.stderr and not (tmp_path/'o.mp4').exists()
    r = cli('animate', *video, '--keep-mouth')
    assert r.returncode == 2 and '--keep_mouth needs --audio' in r.stderr and not (tmp_path/'o.mp4').exists()

def test_train_audio_option_errors(tmp_path):
    "Bad train-audio numbers fail before any work, with one line."
    base = ('train-audio', '--videos', SAMPLES/'driving', '--data', tmp_path/'data', '--out', tmp_path/'a.safetensors')
    for opt in (('--folds', '-1'), ('--steps', '0'), ('--ensemble', '0'), ('--ema', '1')):
        r = cli(*base, *opt)
        assert r.returncode == 2 and opt[0] in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert not (tmp_path/'data').exists()

def test_train_audio_trains_the_shipped_recipe(tmp_path, monkeypatch):
    "`train-audio` with no recipe option trains what ships (the mel and the phones); `--mel_only` the mel alone."
    from dataclasses import asdict
    import mobileportrait.audio_eval as ae
    from mobileportrait.audio import load_audio_models
    from mobileportrait.cli import train_audio
    seen = []
    def fake(videos, data, out, cfg, *a, **k):
        seen.append(cfg); raise KeyboardInterrupt   # stop before any data is built
    monkeypatch.setattr(ae, 'train_speakers', fake)
    for kw in ({}, {'mel_only': True}):
        with pytest.raises(KeyboardInterrupt): train_audio(videos=str(SAMPLES/'driving'), data=str(tmp_path/'d'), **kw)
    assert [c.phones for c in seen] == [True, False]
    shipped = load_audio_models().cfg                # every field of the recipe but those `train_speakers` sets
    set_later = ('val_speaker', 'stop_clips', 'video_model')
    got, want = asdict(seen[0]), asdict(shipped)
    assert {f: got[f] for f in got if f not in set_later} == {f: want[f] for f in want if f not in set_later}

def test_lipsync_verb(tmp_path):
    """`lipsync` scores any talking video (here a real one: its mouth follows its sound); clear errors for a missing
    file, no sound, missing weights."""
    import json
    r = cli('lipsync', SAMPLES/'driving/tps_driving.mp4', '--json')
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out['frames'] == 169 and out['face_found'] == 1.0 and 'syncnet' not in out
    det = out['detrended']
    assert abs(det['offset']) <= 3 and det['confidence'] > det['mismatched_confidence']
    r = cli('lipsync', tmp_path/'none.mp4')
    assert r.returncode == 2 and 'no such file' in r.stderr
    from mobileportrait.video import write_video, VideoReader
    write_video(tmp_path/'mute.mp4', VideoReader(SAMPLES/'driving/tps_driving.mp4', max_frames=12))
    r = cli('lipsync', tmp_path/'mute.mp4')
    assert r.returncode == 2 and 'no sound track' in r.stderr
    r = cli('lipsync', SAMPLES/'driving/tps_driving.mp4', '--syncnet-weights', tmp_path/'none.model')
    assert r.returncode == 2 and 'curl -L' in r.stderr and 'Traceback' not in r.stderr

def test_formant_tracker_on_a_synthetic_vowel():
    """scripts/formant_probe.py (results/audio.md, "Formants"): a pulse train through three resonators at known
    frequencies comes back as F1-F3 within 5 %, voiced; noise at the same level is unvoiced."""
    import sys
    from pathlib import Path
    from scipy.signal import lfilter
    sys.path.insert(0, str(Path(__file__).parents[1]/'scripts'))
    from formant_probe import formants, formant_track
    sr, f0, truth = 16000, 120, np.array([700, 1220, 2600])
    x = np.zeros(sr); x[::sr // f0] = 1.0                                    # 1 s of 120-Hz pulses
    x = lfilter([1], [1, -1.96, 0.98 ** 2], x)                               # a glottal source's -12 dB/octave
    for f in truth:                                                          # a two-pole resonator per formant
        r = np.exp(-np.pi * 80 / sr)
        x = lfilter([1 - r], [1, -2 * r * np.cos(2 * np.pi * f / sr), r * r], x)
    x = np.r_[x / np.abs(x).max() * 0.5, np.random.default_rng(0).normal(0, 0.1, sr)]   # vowel, then noise
    F, loud, voiced = formants(x.astype(np.float32), 50)                     # 25 fps over 2 s
    assert voiced[3:22].all() and not voiced[28:47].any(), voiced
    assert np.all(np.abs(F[3:22] / truth - 1) < 0.05), F[3:22]
    feats = formant_track(x.astype(np.float32), 50)                          # (50, 8), standardised over voiced frames
    assert feats.shape == (50, 8) and np.all(feats[28:47, :7] == 0)
