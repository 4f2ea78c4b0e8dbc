"""Where a model's same-identity error lies: PSNR over the background and over the person, beside copying the source.

    python scripts/background_error.py [CHECKPOINT ...] [--clips liveportrait/d12,eamm/happy,...] [--frames 100]

For each held-out clip (default: five of the validation people's, from ../shared/data): the first `--frames` frames
cropped as `evaluate` crops them, animated from the first frame (absolute motion, as the same-identity evaluation),
and the squared error split by the source's GrabCut foreground (dilated, `evaluate.background_region`). A model that
redraws a still background worse than the copied source loses PSNR there that no sharper face wins back.
"""
import sys, tempfile
from itertools import islice
import cv2, numpy as np, torch

CLIPS = 'liveportrait/d12,sadtalker/WDA_KatieHill_000,eamm/happy,lipnet/GRID_bbaf2n,smirk/dafoe'

def psnr_of(se: np.ndarray) -> float: return float(10 * np.log10(1 / se.mean()))

def clip_errors(model, clip: str, frames: int = 100, videos: str = '../shared/data') -> dict:
    from mobileportrait.evaluate import crop_clip, background_region
    from mobileportrait.animate import animate
    from mobileportrait.video import VideoWriter
    from mobileportrait.face_knowledge import grabcut_fg_mask, get_landmarker
    real, _ = crop_clip(f'{videos}/{clip}.mp4', 256, frames)
    d = tempfile.mkdtemp()
    with VideoWriter(f'{d}/d.mp4', 25) as w:
        for f in real: w.write(f)
    cv2.imwrite(f'{d}/s.png', cv2.cvtColor(real[0], cv2.COLOR_RGB2BGR))
    frames = animate(f'{d}/s.png', f'{d}/d.mp4', model=model, relative=False, crop=False, size=256)
    pred = list(islice(frames, len(real)))
    _, lm = get_landmarker('dlib').detect(real[0])
    bg = background_region(grabcut_fg_mask(real[0], lm[0]))
    se = lambda a, b: (((a.astype(np.float32) - b.astype(np.float32)) / 255) ** 2).mean(-1)
    err = np.stack([se(p, g) for p, g in zip(pred, real)])
    copy = np.stack([se(real[0], g) for g in real])
    return {'model_bg': psnr_of(err[:, bg]), 'model_fg': psnr_of(err[:, ~bg]), 'copy_bg': psnr_of(copy[:, bg]),
            'copy_fg': psnr_of(copy[:, ~bg]), 'bg_share_of_error': float(err[:, bg].sum() / err.sum())}

if __name__ == '__main__':
    from mobileportrait.model import load_model
    args = sys.argv[1:]
    opt = lambda k, d: args[args.index(k) + 1] if k in args else d
    clips, frames = opt('--clips', CLIPS).split(','), int(opt('--frames', 100))
    ckpts = [a for a in args if not a.startswith('--') and a not in (opt('--clips', None), opt('--frames', None))]
    torch.set_num_threads(1)
    for ck in ckpts or ['tiny256']:
        m = load_model(ck)
        for c in clips:
            r = clip_errors(m, c, frames)
            print(f"{ck:28s} {c:30s} background {r['model_bg']:5.2f} dB (copy {r['copy_bg']:5.2f})  "
                  f"person {r['model_fg']:5.2f} dB (copy {r['copy_fg']:5.2f})  "
                  f"background's share of the error {r['bg_share_of_error']:.2f}", flush=True)
