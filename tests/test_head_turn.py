"""Issue 20, item 5: the animated head turns with the driver.

A synthetic driver turns a real face (the first frame of `d18.mp4`) in yaw, 0 → +22° → -22° → 0 over 25 frames: its
landmarks are moved as the generic 3-D face (`head_pose.generic_face_3d`, plus forehead and head-side points) rotated
about a point behind the face, and the image is warped along with a thin-plate spline. The portrait `s42.jpg` is
animated with it (default: relative motion), and the yaw of every driving and generated frame is read by the project's
own solver (`head_pose.head_pose` on dlib landmarks). Positive yaw = the face turned toward image-left (the nose left of
the jaw's middle); the first tests pin that convention down, on the generic face, on a mirrored photo and without the
solver. A real turn (the bundled TPS driving clip) is checked the same way, and the last test reproduces what users
reported as "the head turns the opposite way": a driver whose frame 0 is turned, under relative motion (see notebook
09).

Run it for other checkpoints with

    MOBILEPORTRAIT_HEAD_TURN_CHECKPOINTS=tiny,my_run/checkpoint.safetensors pytest tests/test_head_turn.py
"""
import os
import cv2
import numpy as np
import pytest
from conftest import SAMPLES

# names that are not shipped skip
CHECKPOINTS = os.environ.get('MOBILEPORTRAIT_HEAD_TURN_CHECKPOINTS', 'tiny,tiny256').split(',')
PORTRAIT = SAMPLES/'portraits/s42.jpg'
DRIVER_FACE = SAMPLES/'driving/d18.mp4'      # frame 0: a frontal man, another person than the portrait
REAL_TURN = SAMPLES/'driving/tps_driving.mp4'  # a real head turn: yaw about +4° to -15° (frames 60-150)
SIZE, N, AMPLITUDE = 256, 25, 22.0           # synthetic driver: 256² frames, 25 frames, ±22° of yaw
PIVOT = 100.0                                 # the turn's axis: 100 units (≈ mm) behind the nose tip, as a neck is
MIN_CORR = 0.8                                # the bar: Pearson r of driver yaw vs output yaw

def facing(lmk) -> float:
    "Solver-free turn measure: where the nose tip sits between the jaw's ends, minus 0.5 (< 0: facing image-left)."
    lmk = np.asarray(lmk, np.float64)
    return float((lmk[30, 0] - lmk[0, 0]) / (lmk[16, 0] - lmk[0, 0]) - 0.5)

def landmarks(img):
    from mobileportrait.face_knowledge import get_landmarker
    boxes, lmks = get_landmarker('dlib').detect(img)
    return lmks[0] if len(boxes) else None

def poses(frames) -> np.ndarray:  # (N, 4): yaw, pitch, roll (degrees) and `facing`; NaN where dlib finds no face
    from mobileportrait.head_pose import head_pose
    out = []
    for f in frames:
        l = landmarks(f)
        out.append(np.full(4, np.nan) if l is None else np.r_[head_pose(l, f.shape[0]), facing(l)])
    return np.array(out)

def corr(a, b) -> float:
    ok = ~np.isnan(a) & ~np.isnan(b)
    return float(np.corrcoef(a[ok], b[ok])[0, 1])

# --- the synthetic driver -------------------------------------------------------------------------------------------

def head_3d() -> np.ndarray:  # (68 + 14, 3): the generic face, a forehead arc above the brows, 4 points at the sides
    from mobileportrait.head_pose import generic_face_3d
    g = generic_face_3d()
    forehead = g[17:27] + [0, -45, 10]
    sides = np.array([[-80, -10, 70], [80, -10, 70], [-75, 30, 60], [75, 30, 60]], np.float64)
    return np.concatenate([g, forehead, sides])

def project(P, yaw, pitch, roll, size=SIZE, distance=600.0) -> np.ndarray:  # (n, 2) px: `P` rotated about (0, 0, PIVOT)
    from mobileportrait.head_pose import rotation_matrix
    R, c = rotation_matrix(yaw, pitch, roll), np.array([0, 0, PIVOT])
    K = np.array([[size, 0, size / 2], [0, size, size / 2], [0, 0, 1]], np.float64)  # `project_face`'s / `head_pose`'s
    pts, _ = cv2.projectPoints(P, cv2.Rodrigues(R)[0], np.array([0, 0, distance]) + c - R @ c, K, None)
    return pts[:, 0]

def tps_backward(img, dst, src, step: int = 4, reg: float = 1e-3) -> np.ndarray:
    "Warp `img` so that its points `src` land on `dst` (thin-plate spline from dst to src, evaluated every `step` px)."
    h, w = img.shape[:2]
    c, s = dst.mean(0), dst.std() + 1e-6
    d, n = (dst - c) / s, len(dst)
    U = lambda r2: r2 * np.log(np.maximum(r2, 1e-12))
    A = np.block([[U(((d[:, None] - d[None]) ** 2).sum(-1)) + reg * np.eye(n), np.c_[np.ones(n), d]],
                  [np.c_[np.ones(n), d].T, np.zeros((3, 3))]])
    coef = np.linalg.solve(A, np.r_[src, np.zeros((3, 2))])
    gy, gx = np.mgrid[0:h + step:step, 0:w + step:step].astype(np.float64)
    g = (np.c_[gx.ravel(), gy.ravel()] - c) / s
    m = np.c_[np.ones(len(g)), g] @ coef[n:] + U(((g[:, None] - d[None]) ** 2).sum(-1)) @ coef[:n]
    m = m.reshape(*gx.shape, 2).astype(np.float32)
    # smooth: bilinear is exact enough
    m = cv2.resize(m, None, fx=step, fy=step, interpolation=cv2.INTER_LINEAR)[:h, :w]
    return cv2.remap(img, m[..., 0], m[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

def turn_face(img, lmk, yaws) -> list:
    """Frames of `img` (a face crop with dlib landmarks `lmk`) with the head turned by each of `yaws` (degrees) about
    its fitted pose."""
    from mobileportrait.head_pose import head_pose
    y0, p0, r0 = head_pose(lmk, img.shape[0])
    P = head_3d()
    base = project(P, y0, p0, r0, img.shape[0])
    # generic face -> this face (a similarity); then the 68 + the extra points in this image
    M, _ = cv2.estimateAffinePartial2D(base[:68].astype(np.float32), np.float32(lmk))
    src = np.r_[lmk, np.c_[base[68:], np.ones(len(base) - 68)] @ M.T]
    e = img.shape[0] - 1
    ticks = np.linspace(0, e, 5)
    border = np.array([[x, y] for x in ticks for y in ticks if x in (0, e) or y in (0, e)])
    return [tps_backward(img, np.r_[src + (project(P, y0 + a, p0, r0, img.shape[0]) - base) @ M[:, :2].T, border],
                         np.r_[src, border]) for a in yaws]

@pytest.fixture(scope='module')
def driver(tmp_path_factory):
    "The synthetic head-turn driver: commanded yaw, frames, their measured poses, and the mp4."
    from mobileportrait.video import read_frame, square_box, write_video
    from mobileportrait.face_knowledge import get_landmarker
    frame = read_frame(DRIVER_FACE, 0)
    boxes, lmks = get_landmarker('dlib').detect(frame)
    box = square_box(boxes[0], 0.6, SIZE)
    yaws = AMPLITUDE * np.sin(2 * np.pi * np.arange(N) / (N - 1))
    frames = turn_face(box(frame), box.to_crop(lmks[0]), yaws)
    path = tmp_path_factory.mktemp('head_turn')/'turn.mp4'
    write_video(path, frames)
    from mobileportrait.video import VideoReader
    decoded = list(VideoReader(path))                    # measure what the model gets: the encoded video
    return dict(yaw_cmd=yaws, frames=decoded, pose=poses(decoded), path=path)

# --- the solver's sign convention and the driver: model-free, hard asserts -------------------------------------------

def test_solver_reads_back_known_poses():
    from mobileportrait.head_pose import head_pose, project_face
    for yaw, pitch, roll in [(20, 0, 0), (-20, 0, 0), (25, 10, -5), (-10, -15, 8)]:
        np.testing.assert_allclose(head_pose(project_face(yaw, pitch, roll)), [yaw, pitch, roll], atol=0.5)
    assert facing(project_face(yaw=20)) < -0.03 < 0.03 < facing(project_face(yaw=-20)), \
        'yaw > 0 must be the face turned to image-left'

def test_solver_sign_on_a_real_mirrored_photo():
    "s12.jpg faces image-left: dlib + head_pose give yaw > 0, and about the opposite on the mirrored photo."
    from mobileportrait.head_pose import head_pose
    from mobileportrait.video import crop_image
    img, _ = crop_image(SAMPLES/'portraits/s12.jpg', size=SIZE)
    a, b = landmarks(img), landmarks(np.ascontiguousarray(img[:, ::-1]))
    ya, yb = head_pose(a, SIZE)[0], head_pose(b, SIZE)[0]
    assert facing(a) < -0.05 and facing(b) > 0.05, (facing(a), facing(b))
    assert ya > 5 and yb < -5 and abs(ya + yb) < 4, (ya, yb)

def test_synthetic_driver_turns_as_commanded(driver):
    yaw, cmd, fac = driver['pose'][:, 0], driver['yaw_cmd'], driver['pose'][:, 3]
    assert not np.isnan(yaw).any(), 'dlib must find the face in every synthetic frame'
    assert corr(cmd, yaw) > 0.95, corr(cmd, yaw)
    left, right = cmd > AMPLITUDE / 2, cmd < -AMPLITUDE / 2                  # turned toward image-left / image-right
    yl, yr, fl, fr = yaw[left].mean(), yaw[right].mean(), fac[left].mean(), fac[right].mean()
    assert yl - yaw[0] > 8 and yr - yaw[0] < -8, (yl, yr, yaw[0])
    assert fl < fac[0] - 0.05 < fac[0] + 0.05 < fr, (fl, fac[0], fr)

# --- the model ------------------------------------------------------------------------------------------------------

def _model(checkpoint):
    from mobileportrait.model import load_model
    from mobileportrait.video import InputError
    try: return load_model(checkpoint)
    except InputError as e: pytest.skip(f'checkpoint {checkpoint!r} not available: {e}')

# checkpoint -> reason, for a model measured to fail (none so far: `tiny` passes, r = 0.92 synthetic, 0.86 real)
XFAIL = {}

def _marks(ck):
    return [pytest.mark.xfail(strict=True, reason=XFAIL[ck])] if ck in XFAIL else []

@pytest.mark.parametrize('checkpoint', [pytest.param(c, marks=_marks(c)) for c in CHECKPOINTS])
def test_output_turns_with_synthetic_driver(driver, checkpoint):
    import torch
    from mobileportrait.animate import animate
    torch.set_num_threads(1)
    model = _model(checkpoint)
    out = poses(list(animate(PORTRAIT, driver['path'], model=model, size=SIZE)))
    drv, gen = driver['pose'][:, 0], out[:, 0]
    assert np.isnan(gen).mean() <= 0.1, f'no face in {np.isnan(gen).sum()} of {len(gen)} generated frames'
    r = corr(drv, gen)
    cmd = driver['yaw_cmd']
    left, right = cmd > AMPLITUDE / 2, cmd < -AMPLITUDE / 2
    d_left, d_right = np.nanmean(gen[left]) - gen[0], np.nanmean(gen[right]) - gen[0]
    print(f'{checkpoint}: r(driver yaw, output yaw) = {r:.3f}; output yaw change {d_left:+.1f}° when the driver turns '
          f'{np.mean(drv[left]) - drv[0]:+.1f}° (image-left), {d_right:+.1f}° when it turns '
          f'{np.mean(drv[right]) - drv[0]:+.1f}° (image-right)')
    assert r > MIN_CORR, f'{checkpoint}: output yaw follows driver yaw with r = {r:.3f} <= {MIN_CORR}'
    assert d_left > 2 and d_right < -2, \
        f'{checkpoint}: wrong turn direction ({d_left:+.1f}° for a left turn, {d_right:+.1f}° for a right turn)'

@pytest.mark.parametrize('checkpoint', [pytest.param(c, marks=_marks(c)) for c in CHECKPOINTS])
def test_output_turns_with_real_driver(checkpoint, tmp_path):
    "The bundled TPS driving clip, frames 60-150 every 2nd: the man turns from about +4° to -15° and back a little."
    import torch
    from mobileportrait.animate import animate
    from mobileportrait.face_knowledge import track_video
    from mobileportrait.head_pose import head_pose
    from mobileportrait.video import VideoReader, write_video
    torch.set_num_threads(1)
    model = _model(checkpoint)
    clip = tmp_path/'turn.mp4'
    write_video(clip, list(VideoReader(REAL_TURN, max_frames=150))[60::2])
    out = poses(list(animate(PORTRAIT, clip, model=model, size=SIZE)))[:, 0]
    tr = track_video(clip, 0.6, SIZE)
    drv = np.array([head_pose(tr['box'].to_crop(l), SIZE)[0] for l in tr['landmarks']])
    r = corr(drv, out)
    print(f'{checkpoint}: real driver yaw {drv.min():.1f}..{drv.max():.1f}°, '
          f'output {np.nanmin(out):.1f}..{np.nanmax(out):.1f}°, r = {r:.3f}')
    assert drv.max() - drv.min() > 12, 'the clip must contain a real turn'
    assert r > MIN_CORR, f'{checkpoint}: output yaw follows a real driver with r = {r:.3f} <= {MIN_CORR}'

@pytest.mark.parametrize('checkpoint', [pytest.param(c, marks=_marks(c)) for c in CHECKPOINTS])
def test_turned_reference_frame(driver, checkpoint, tmp_path):
    """What users saw as "the head turns the opposite way": a driver that starts turned to image-left (+22°) and comes
    back past frontal. Relative motion from frame 0 subtracts the first frame's turn, so the output faces image-right
    while the driver still faces image-left; `ref_frame='best'` (the driving frame closest to the source's face) keeps
    both on one side."""
    import torch
    from mobileportrait.animate import animate
    from mobileportrait.head_pose import head_pose
    from mobileportrait.video import write_video, crop_image
    torch.set_num_threads(1)
    model = _model(checkpoint)
    part = slice(6, 16)                                   # commanded yaw +22° -> 0 -> -11°
    clip = tmp_path/'turned_start.mp4'
    write_video(clip, driver['frames'][part])
    drv = driver['pose'][part, 0]
    src = head_pose(landmarks(crop_image(PORTRAIT, size=SIZE)[0]), SIZE)[0]
    left = drv > drv[-1] + 8                             # frames where the driver still faces clearly image-left
    first = poses(list(animate(PORTRAIT, clip, model=model, size=SIZE)))[:, 0]
    best = poses(list(animate(PORTRAIT, clip, model=model, size=SIZE, ref_frame='best')))[:, 0]
    print(f'{checkpoint}: source yaw {src:+.1f}°, driver {np.mean(drv[left]):+.1f}° on its left-facing frames; '
          f'output there: {np.nanmean(first[left]):+.1f}° with ref_frame=0, '
          f'{np.nanmean(best[left]):+.1f}° with ref_frame="best"')
    assert np.nanmean(first[left]) < src, \
        'relative motion from a turned frame 0 should face the other side (the reported symptom)'
    assert np.nanmean(best[left]) > src + 3, \
        f"{checkpoint}: with ref_frame='best' the output must face the driver's side"
    assert corr(drv, best) > MIN_CORR, corr(drv, best)
