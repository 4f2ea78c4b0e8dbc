"""Reliability issue, item 6 "Long and odd inputs".

* A driving video with no face fails early (`face_within`, 10 s by default) instead of being tracked to its end, and the
  tracking pass shows a progress bar.
* Driving frames where the face is missing (it left the frame) or upside down are named in one warning per kind.
* The audio path streams: the audio is analysed 10 s at a time, so the first frame comes early and memory does not grow
  with the length of the speech.

The synthetic inputs are short (a few seconds) so that each test takes well under a minute on a busy 2-core machine.
"""
import math, os, subprocess, sys, textwrap, wave
from pathlib import Path
import numpy as np
import pytest
from conftest import ROOT, SAMPLES

PORTRAIT = SAMPLES/'portraits/s42.jpg'
BLANK, TURNED = range(30, 45), range(60, 75)     # frames of the odd driver: a blank (faceless) frame, turned by 180°

def cli_1thread(*args) -> subprocess.CompletedProcess:
    "`cli`, with torch on one thread: two threads on a machine whose other core is busy render ~10× slower."
    import shutil
    exe = shutil.which('mobileportrait')
    cmd = [exe] if exe else [sys.executable, '-c', 'import sys; from mobileportrait.cli import main; sys.exit(main())']
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=300, env=env)

@pytest.fixture(scope='module')
def odd_driver(tmp_path_factory):
    "100 frames of d18.mp4 at 25 fps, frames 30–44 blank and frames 60–74 turned upside down."
    from mobileportrait.video import VideoReader, write_video
    frames = [f.copy() for f in VideoReader(SAMPLES/'driving/d18.mp4', max_frames=100)]
    odd = [np.zeros_like(f) if i in BLANK else f[::-1, ::-1].copy() if i in TURNED else f for i, f in enumerate(frames)]
    return write_video(tmp_path_factory.mktemp('odd')/'odd.mp4', odd)

@pytest.fixture(scope='module')
def faceless(tmp_path_factory):
    "20 s of moving noise at 25 fps, 160² (small, so that each failed face detection is fast)."
    from mobileportrait.video import write_video
    bg = (np.random.default_rng(0).random((160, 160, 3)) * 255).astype(np.uint8)
    return write_video(tmp_path_factory.mktemp('faceless')/'faceless.mp4', (np.roll(bg, i, 1) for i in range(500)))

def write_wav(path, seconds: float, sr: int = 16000):
    "A 16-bit mono wav: a 220 Hz tone switched on and off every second (speech-like loudness changes)."
    t = np.arange(int(seconds * sr)) / sr
    x = 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(np.pi * t) > 0)
    with wave.open(str(path), 'wb') as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr); w.writeframes((x * 32767).astype('<i2').tobytes())
    return path

def parse_ranges(text: str) -> set:
    "'3, 40–80' -> {3, 40, ..., 80}"
    out = set()
    for r in text.split(', '):
        a, _, b = r.partition('–')
        out |= set(range(int(a), int(b or a) + 1))
    return out

def warned_frames(lines, kind: str) -> set:
    "The frames named by the one warning about `kind` ('missing' or 'upside down')."
    ws = [l for l in lines if f'the driving face is {kind} in frames ' in l]
    assert len(ws) == 1, lines
    return parse_ranges(ws[0].split(' in frames ')[1].split(' (')[0].split(':')[0])

def near(got: set, want: range, slack: int = 1) -> bool:
    "`got` is the frames of `want`, give or take `slack` frames at either end (the tracker is fuzzy at the edges)."
    core, wide = set(range(want.start + slack, want.stop - slack)), set(range(want.start - slack, want.stop + slack))
    return core <= got <= wide

def test_faceless_driver_fails_early(tmp_path, faceless):
    "The CLI gives up after 10 s of a faceless driver (not at its end, 20 s), with the tracking pass's progress bar."
    out = tmp_path/'o.mp4'
    r = cli_1thread('animate', '-s', PORTRAIT, '-d', faceless, '-o', out, '--checkpoint', 'tiny')
    assert r.returncode == 2 and 'Traceback' not in r.stderr, r.stderr
    assert f'error: no face found in the first 10 s of {faceless}' in r.stderr, r.stderr
    assert 'track:' in r.stderr and '500/500' not in r.stderr, r.stderr      # the tracking bar, stopped half way
    assert not out.exists()

def test_face_within_keyword(tmp_path, faceless):
    "`face_within` sets the window in the Python API; None tracks the whole video, with the old message."
    from mobileportrait.animate import animate
    from mobileportrait.video import InputError, VideoReader, write_video
    with pytest.raises(InputError, match='no face found in the first 2 s of'):
        next(animate(PORTRAIT, faceless, 'tiny', face_within=2))
    short = write_video(tmp_path/'short.mp4', VideoReader(faceless, max_frames=50))
    with pytest.raises(InputError, match='no face found in any frame of'):
        next(animate(PORTRAIT, short, 'tiny', face_within=None))

def test_missing_and_upside_down_frames_warn(odd_driver):
    "One warning each names the blank and the turned frames (the warnings come before the first frame)."
    import warnings
    from mobileportrait.animate import animate
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter('always')
        g = animate(PORTRAIT, odd_driver, 'tiny'); next(g); g.close()
    lines = [str(w.message) for w in ws]
    assert near(warned_frames(lines, 'missing'), BLANK), lines
    assert near(warned_frames(lines, 'upside down'), TURNED), lines
    assert any('hold the last seen pose' in l for l in lines) and any('distorted' in l for l in lines), lines

def test_warnings_on_the_command_line(tmp_path, odd_driver):
    "The same warnings as `mobileportrait animate: warning:` lines, and the video is still written in full."
    from mobileportrait.video import VideoReader, write_video
    short = write_video(tmp_path/'short.mp4', VideoReader(odd_driver, max_frames=80))   # faster: 80 frames
    r = cli_1thread('animate', '-s', PORTRAIT, '-d', short, '-o', tmp_path/'o.mp4', '--checkpoint', 'tiny')
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stderr.splitlines() if l.startswith('mobileportrait animate: warning: ')]
    assert len(lines) == 2, r.stderr
    assert near(warned_frames(lines, 'missing'), BLANK) and near(warned_frames(lines, 'upside down'), range(60, 75))
    assert 'wrote' in r.stdout and '80 frames' in r.stdout

def test_audio_is_analysed_in_chunks(tmp_path, monkeypatch):
    "A 5-minute speech: no log-mel of more than ~10 s of audio before the first frame, which comes with a progress bar."
    import mobileportrait.audio as A
    seen = []
    log_mel = A.log_mel
    monkeypatch.setattr(A, 'log_mel', lambda wav: seen.append(len(wav)) or log_mel(wav))
    g = A.animate_audio(PORTRAIT, write_wav(tmp_path/'long.wav', 300))
    f0 = next(g); g.close()
    assert f0.shape == (256, 256, 3) and seen and max(seen) < 11 * A.SR, seen

def test_audio_stream_is_the_same(tmp_path):
    "The streamed landmarks equal `speech_landmarks` (all at once), also with a running mean (`tau`)."
    import torch
    from dataclasses import replace
    from mobileportrait.audio import (load_audio, load_audio_models, speech_landmarks, head_motion, SR,
                                      _speech_landmark_stream)
    from mobileportrait.face_knowledge import prepare_source
    w = load_audio(SAMPLES/'audio/Obama_5s.wav')
    wav = np.concatenate([w, w, w[:SR]])                                   # 11 s: two chunks of 10 s
    sk, am = prepare_source(PORTRAIT, size=128), load_audio_models()
    n = math.ceil(len(wav) / SR * 25)
    threads = torch.get_num_threads(); torch.set_num_threads(1)    # the LSTM is slow on 2 threads of a busy machine
    try:
        for m, motion in ((am, 'sway'), (replace(am, tau=50, level_gain=0.7), 'still')):
            poses = head_motion(motion, sk.landmarks, 128, n)
            streamed = np.stack(list(_speech_landmark_stream(m, wav, sk.landmarks, 128, poses, n)))
            np.testing.assert_allclose(streamed, speech_landmarks(m, wav, sk.landmarks, 128, poses, n), atol=1e-4)
    finally: torch.set_num_threads(threads)

RSS_SCRIPT = textwrap.dedent('''
    import re, sys
    from pathlib import Path
    from mobileportrait.audio import animate_audio
    g = animate_audio(sys.argv[1], sys.argv[2], progress=True)
    for i, f in zip(range(5), g): pass
    g.close()
    print(int(re.search(r'VmHWM:\\s*(\\d+)', Path('/proc/self/status').read_text())[1]) // 1024)
''')   # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child forked from pytest inherits its peak

@pytest.mark.skipif(not Path('/proc/self/status').exists(), reason='reads the peak memory from /proc (Linux)')
def test_audio_memory_does_not_grow(tmp_path):
    "Peak memory up to the 5th frame: a 10-minute speech needs little more than a 1-minute one (it held ~450 MB more)."
    def peak(minutes: int) -> tuple[int, str]:
        wav = write_wav(tmp_path/f'{minutes}min.wav', 60 * minutes)
        r = subprocess.run([sys.executable, '-c', RSS_SCRIPT, str(PORTRAIT), str(wav)], capture_output=True, text=True,
                           timeout=300, cwd=ROOT, env={**os.environ, 'OMP_NUM_THREADS': '1'})
        assert r.returncode == 0, r.stderr
        return int(r.stdout.split()[-1]), r.stderr
    (short, _), (long, bar) = peak(1), peak(10)
    assert long - short < 150, f'peak RSS {short} MB for 1 minute, {long} MB for 10 minutes'   # the 10-min wav: 38 MB
    assert '/15000' in bar and 'animate (audio)' in bar          # the progress bar knows its length from the start
