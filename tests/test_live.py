"`mobileportrait live` as users run it (issue 22): a video file stands in for the camera; bad input: one error line."
import functools, http.server, os, signal, subprocess, sys, threading, time
import numpy as np
import pytest
from conftest import SAMPLES, cli
from test_cli import assert_user_error

S42, D18 = SAMPLES/'portraits/s42.jpg', SAMPLES/'driving/d18.mp4'

def frames(path) -> int:
    from mobileportrait.video import VideoReader
    return len(VideoReader(path))

def test_live_file_no_window(tmp_path):
    "The issue's command: a file played in real time, no window, an mp4 with one frame per input frame and the sound."
    from mobileportrait.video import video_info
    r = cli('live', '-s', S42, '-d', D18, '--no-window', '-o', tmp_path/'live.mp4', '--checkpoint', 'tiny')
    assert r.returncode == 0, r.stderr
    assert 'dropped' in r.stdout and 'latency median' in r.stdout and 'stopped: end of input' in r.stdout, r.stdout
    assert frames(tmp_path/'live.mp4') == frames(D18) and video_info(tmp_path/'live.mp4').has_audio

@pytest.mark.parametrize('args, words', [
    (['--camera', '0'], ['could not open camera 0']),          # no camera on this machine (CI has none either)
    (['--camera', '5'], ['could not open camera 5']),          # an index with no camera
    (['-d', 'missing.mp4'], ['missing.mp4']),
    (['-d', 'rtsp://127.0.0.1:9/none'], ['could not open the stream']),
    (['-d', str(D18), '--camera', '0'], ['exclude each other']),
])
def test_live_bad_input(tmp_path, args, words):
    (tmp_path/'out').mkdir()
    r = cli('live', '-s', S42, '--no-window', '-o', tmp_path/'out'/'o.mp4', *args)
    assert_user_error(r, tmp_path/'out', *words)

def test_live_needs_output_or_window(tmp_path):
    (tmp_path/'out').mkdir()
    assert_user_error(cli('live', '-s', S42, '-d', D18, '--no-window'), tmp_path/'none', '--no_window needs -o')
    r = cli('live', '-s', S42, '-d', D18, '-o', tmp_path/'out'/'o.mp4')   # headless OpenCV: no window to show
    from mobileportrait.live import has_window
    if not has_window():
        assert_user_error(r, tmp_path/'out', 'no window support')

def test_live_no_face(tmp_path):
    "A driving clip with no face in it: one error line, no output file."
    from mobileportrait.video import write_video
    write_video(tmp_path/'blank.mp4', [np.full((128, 128, 3), 90 + i, np.uint8) for i in range(30)])
    (tmp_path/'out').mkdir()
    r = cli('live', '-s', S42, '-d', tmp_path/'blank.mp4', '--no-window', '-o', tmp_path/'out'/'o.mp4',
            '--checkpoint', 'tiny')
    assert_user_error(r, tmp_path/'out', 'no face found')

def test_live_stream_ends(tmp_path):
    "A URL stream (a local HTTP server) that ends: one error line, exit 2, and the file written so far is kept."
    import imageio_ffmpeg
    (tmp_path/'www').mkdir()      # the moov box first (+faststart): a plain HTTP server cannot serve byte ranges
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), '-v', 'error', '-i', str(D18), '-c', 'copy', '-movflags',
                    '+faststart', str(tmp_path/'www'/D18.name)], check=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path/'www'))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f'http://127.0.0.1:{srv.server_address[1]}/{D18.name}'
        r = cli('live', '-s', S42, '-d', url, '--no-window', '-o', tmp_path/'o.mp4', '--checkpoint', 'tiny')
    finally: srv.shutdown()
    assert r.returncode == 2 and 'Traceback' not in r.stderr, r.stderr
    assert [l for l in r.stderr.splitlines() if 'error:' in l][0].count('ended after') == 1, r.stderr
    assert frames(tmp_path/'o.mp4') > 100

def test_live_ctrl_c_keeps_a_playable_file(tmp_path):
    "Ctrl-C stops the run cleanly: exit 0, the statistics printed, and a playable file of the frames so far."
    from mobileportrait.video import VideoReader, write_video
    exe = [sys.executable, '-c', 'import sys; from mobileportrait.cli import main; sys.exit(main())']
    out, drv = tmp_path/'o.mp4', tmp_path/'long.mp4'
    # d18 four times over (29 s): on a loaded machine the renderer's warm-up can take several seconds of a 7-s input,
    # and the input must still be playing when Ctrl-C comes
    write_video(drv, (f for _ in range(4) for f in VideoReader(D18)))
    # SIGINT is inherited as *ignored* when the tests run as a background job (`nohup cmd &`): as in test_animate, give
    # the child the default disposition, as a terminal would
    p = subprocess.Popen(exe + ['live', '-s', str(S42), '-d', str(drv), '--no-window', '-o', str(out), '--checkpoint',
                                'tiny'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    partial = tmp_path/'.o.partial.mp4'
    t0 = time.time()
    while not partial.exists() and time.time() - t0 < 60: time.sleep(0.2)
    time.sleep(2.5)                      # a couple of seconds of live frames
    p.send_signal(signal.SIGINT)
    so, se = p.communicate(timeout=60)
    assert p.returncode == 0 and 'Traceback' not in se, se
    assert 'stopped: Ctrl-C' in so, so
    assert 25 <= frames(out) < 4 * frames(D18) and not partial.exists()
