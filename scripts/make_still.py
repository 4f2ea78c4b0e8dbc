"""README's "What you should see" still: driving frames 0, 60, 110, 170 of the bundled d18.mp4 (top row) and the same
frames of `animate` with each checkpoint (one row each, the source portrait at the left of the first).

    python scripts/make_still.py [CHECKPOINT ...] [-o docs/animate_still.png]      # default: tiny
"""
import sys, tempfile
from pathlib import Path
import cv2
import numpy as np

FRAMES, TILE = (0, 60, 110, 170), 128

def still(checkpoints, out='docs/animate_still.png'):
    from mobileportrait.animate import animate
    from mobileportrait.face_knowledge import crop_video, prepare_source
    from mobileportrait.video import VideoReader, samples_dir
    src, drv = samples_dir()/'portraits/s42.jpg', samples_dir()/'driving/d18.mp4'
    tile = lambda a: cv2.resize(a, (TILE, TILE), interpolation=cv2.INTER_AREA)
    with tempfile.TemporaryDirectory() as d:
        crop_video(drv, Path(d)/'d.mp4', keep_audio=False)
        driving = [f for f in VideoReader(Path(d)/'d.mp4')]
    rows = [np.concatenate([np.full((TILE, TILE, 3), 255, np.uint8)] + [tile(driving[i]) for i in FRAMES], 1)]
    for ck in checkpoints:
        gen = list(animate(src, drv, checkpoint=ck, ref_frame='best'))
        first = tile(prepare_source(src).image) if len(rows) == 1 else np.full((TILE, TILE, 3), 255, np.uint8)
        rows.append(np.concatenate([first] + [tile(gen[i]) for i in FRAMES], 1))
    cv2.imwrite(out, cv2.cvtColor(np.concatenate(rows, 0), cv2.COLOR_RGB2BGR))
    return out

if __name__ == '__main__':
    args = sys.argv[1:]
    out = args[args.index('-o') + 1] if '-o' in args else 'docs/animate_still.png'
    cks = [a for i, a in enumerate(args) if a != '-o' and (i == 0 or args[i - 1] != '-o')] or ['tiny']
    print(still(cks, out))
