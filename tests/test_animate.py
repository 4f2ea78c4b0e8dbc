"`mobileportrait animate` / `crop` as users run them, and every bad-input case of the animate issue."
import os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
from conftest import SAMPLES, cli

PORTRAIT = SAMPLES/'portraits/s42.jpg'

@pytest.fixture(scope='module')
def clips(tmp_path_factory):
    """Short driving clips made from the bundled one: 2 s normal, 1 frame, face lost for 0.6 s, no face at all, audio
    only."""
    from mobileportrait.video import VideoReader, write_video, has_audio
    import imageio_ffmpeg
    d = tmp_path_factory.mktemp('clips')
    fr = list(VideoReader(SAMPLES/'driving/d18.mp4', max_frames=50))
    write_video(d/'short.mp4', fr, audio_from=SAMPLES/'driving/d18.mp4')
    write_video(d/'one.mp4', fr[:1])
    gray = np.full_like(fr[0], 128)
    write_video(d/'lost.mp4', fr[:15] + [gray] * 15 + fr[30:])
    rng = np.random.default_rng(0)
    write_video(d/'noface.mp4', [rng.integers(0, 255, fr[0].shape, dtype=np.uint8) for _ in range(10)])
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), '-v', 'error', '-i', str(SAMPLES/'audio/Obama_5s.wav'),
                    '-c:a', 'aac', str(d/'audio_only.mp4')], check=True)
    return d

def frames_of(p):
    from mobileportrait.video import VideoReader
    return len(list(VideoReader(p)))

def assert_user_error(r, out, *words):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert 'Traceback' not in r.stderr, r.stderr
    errors = [l for l in r.stderr.splitlines() if 'error:' in l]
    assert len(errors) == 1, r.stderr
    for w in words: assert w in errors[0], errors[0]
    assert not Path(out).exists(), 'no partial output'
    assert not list(Path(out).parent.glob('.*partial*')) if Path(out).parent.exists() else True

def test_animate_same_and_cross_identity(clips, tmp_path):
    from mobileportrait.video import video_info
    for src in (clips/'short.mp4', PORTRAIT):
        out = tmp_path/f'{Path(src).stem}.mp4'
        r = cli('animate', '-s', src, '-d', clips/'short.mp4', '-o', out)
        assert r.returncode == 0, r.stderr
        assert 'frames in' in r.stdout and 'fps' in r.stdout
        info = video_info(out)
        assert frames_of(out) == 50 and info.fps == 25 and info.has_audio and info.size == (256, 256)

def test_refuses_to_overwrite(clips, tmp_path):
    out = tmp_path/'o.mp4'; out.write_bytes(b'precious')
    r = cli('animate', '-s', PORTRAIT, '-d', clips/'one.mp4', '-o', out)
    assert r.returncode == 2 and 'exists' in r.stderr and out.read_bytes() == b'precious'
    r = cli('animate', '-s', PORTRAIT, '-d', clips/'one.mp4', '-o', out, '--overwrite')
    assert r.returncode == 0 and frames_of(out) == 1

def test_one_frame_video(clips, tmp_path):
    r = cli('animate', '-s', PORTRAIT, '-d', clips/'one.mp4', '-o', tmp_path/'o.mp4')
    assert r.returncode == 0, r.stderr
    assert frames_of(tmp_path/'o.mp4') == 1

def test_face_lost_for_a_while(clips, tmp_path):
    r = cli('animate', '-s', PORTRAIT, '-d', clips/'lost.mp4', '-o', tmp_path/'o.mp4')
    assert r.returncode == 0, r.stderr
    assert frames_of(tmp_path/'o.mp4') == 50

def test_alpha_and_grayscale_sources(clips, tmp_path):
    im = Image.open(PORTRAIT)
    rgba = im.convert('RGBA'); rgba.putalpha(200); rgba.save(tmp_path/'rgba.png')
    im.convert('L').save(tmp_path/'gray.png')
    for s in ('rgba.png', 'gray.png'):
        r = cli('animate', '-s', tmp_path/s, '-d', clips/'one.mp4', '-o', tmp_path/f'{s}.mp4')
        assert r.returncode == 0, r.stderr

def test_huge_source(clips, tmp_path):
    Image.open(PORTRAIT).resize((6000, 6000)).save(tmp_path/'huge.jpg', quality=80)
    r = cli('animate', '-s', tmp_path/'huge.jpg', '-d', clips/'one.mp4', '-o', tmp_path/'o.mp4', '--paste_back')
    assert r.returncode == 0, r.stderr
    from mobileportrait.video import video_info
    assert max(video_info(tmp_path/'o.mp4').size) <= 1920          # paste-back output bounded

def test_no_face_in_source(clips, tmp_path):
    Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 300, 3), dtype=np.uint8)).save(tmp_path/'noise.png')
    out = tmp_path/'o.mp4'
    assert_user_error(cli('animate', '-s', tmp_path/'noise.png', '-d', clips/'short.mp4', '-o', out), out, 'no face')

def test_no_face_in_driving(clips, tmp_path):
    out = tmp_path/'o.mp4'
    assert_user_error(cli('animate', '-s', PORTRAIT, '-d', clips/'noface.mp4', '-o', out), out, 'no face')

@pytest.mark.parametrize('kind', ['truncated', 'text', 'audio_only', 'empty'])
def test_bad_driving_video(clips, tmp_path, kind):
    p = tmp_path/f'{kind}.mp4'
    if kind == 'truncated': p.write_bytes((clips/'short.mp4').read_bytes()[:5000])
    elif kind == 'text': p.write_text('not a video')
    elif kind == 'empty': p.write_bytes(b'')
    else: p = clips/'audio_only.mp4'
    assert_user_error(cli('animate', '-s', PORTRAIT, '-d', p, '-o', tmp_path/'o.mp4'), tmp_path/'o.mp4')

def test_bad_output_location(clips, tmp_path):
    out = tmp_path/'missing'/'o.mp4'
    assert_user_error(cli('animate', '-s', PORTRAIT, '-d', clips/'one.mp4', '-o', out), out, 'does not exist')
    r = cli('animate', '-s', PORTRAIT, '-d', clips/'one.mp4', '-o', '/proc/mobileportrait.mp4')
    assert r.returncode == 2 and 'Traceback' not in r.stderr and 'cannot write' in r.stderr, r.stderr

@pytest.mark.parametrize('sig,rc,word', [(signal.SIGINT, 130, 'interrupted'), (signal.SIGTERM, 143, 'terminated')])
def test_ctrl_c_leaves_nothing(clips, tmp_path, sig, rc, word):
    "Ctrl-C or `kill` (SIGTERM) mid-run: one line, exit 130 / 143, no output and no partial file." 
    from mobileportrait.video import VideoReader, write_video
    long = tmp_path/'long.mp4'
    fr = list(VideoReader(clips/'short.mp4'))
    write_video(long, (fr[i % len(fr)] for i in range(400)))
    out = tmp_path/'o.mp4'
    exe = [sys.executable, '-c', 'import sys; from mobileportrait.cli import main; sys.exit(main())']
    # SIGINT is inherited as *ignored* when the tests themselves run as a background job (`cmd &` in a script), and
    # Python then installs no KeyboardInterrupt handler: give the child the default disposition, as a terminal would
    p = subprocess.Popen(exe + ['animate', '-s', str(PORTRAIT), '-d', str(long), '-o', str(out)],
                         stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.time() + 120
    while time.time() < deadline and not list(tmp_path.glob('.o.partial*')): time.sleep(0.1)
    assert list(tmp_path.glob('.o.partial*')), 'the run started writing'
    time.sleep(0.5); p.send_signal(sig)
    err = p.communicate(timeout=60)[1]
    assert p.returncode == rc, (p.returncode, err)
    assert word in err and 'Traceback' not in err, err[-3000:]
    assert not out.exists() and not list(tmp_path.glob('.o.partial*'))

def test_crop_video_and_image(clips, tmp_path):
    from mobileportrait.video import video_info, read_image
    r = cli('crop', clips/'short.mp4', '-o', tmp_path/'c.mp4', '--size', 128)
    assert r.returncode == 0, r.stderr
    info = video_info(tmp_path/'c.mp4')
    assert info.size == (128, 128) and info.has_audio and frames_of(tmp_path/'c.mp4') == 50
    assert cli('crop', PORTRAIT, '-o', tmp_path/'c.png').returncode == 0
    assert read_image(tmp_path/'c.png').shape == (256, 256, 3)
    r = cli('crop', PORTRAIT, '-o', tmp_path/'c.png')
    assert r.returncode == 2 and 'exists' in r.stderr

def test_bad_source_stops_the_tracking_thread(tmp_path):
    """The driving clip is tracked in a thread beside the source's preparation: a source without a face fails with its
    own error, and the thread stops (no tracking left running)."""
    import threading
    from mobileportrait.animate import animate
    from mobileportrait.video import InputError
    blank = tmp_path/'blank.png'
    Image.fromarray(np.full((256, 256, 3), 128, np.uint8)).save(blank)
    with pytest.raises(InputError, match='face'):
        next(animate(blank, SAMPLES/'driving/d18.mp4', checkpoint='tiny'))
    for _ in range(100):                       # it notices the cancel at its next frame
        if not any(t.name in ('track_video', 'prefetch') for t in threading.enumerate()): break
        time.sleep(0.1)
    assert not any(t.name in ('track_video', 'prefetch') for t in threading.enumerate())
