"""Mouth-opening pair mining for the renderer (issues 20 and 25): continue a model with part of each batch drawn as
(source, driving) pairs whose mouths differ most, so that opening and closing a mouth is asked for more often than
the uniform pairs of `PairDataset` ask for it.

    python scripts/train_mouth_pairs.py RUN [--minutes 80] [--init tiny256] [--init_disc RUN0|none] [--share 0.5]
                                        [--mouth 1] [--seed 7]
    python scripts/train_mouth_pairs.py --check      # how far apart the mined pairs' mouths are, no training

The mining is the package's (`PairDataset(mouth_pairs=share)`, `mobileportrait train --mouth_pairs SHARE`, notebook
08): with probability `share` an item pairs a frame from the clip's widest-open fifth (inner-lip gap,
`face_knowledge.mouth_opening`) with one from its more closed half, either one driving. This script is
`scripts/train_skip256.sh`'s recipe (keypoint detector and merger frozen, so the audio models stay
valid; patch discriminator, bf16, one core), with the mouth-crop loss at weight `mouth`. Needs data/shared256.
Afterwards: `python scripts/evaluate_quality.py NAME=RUN` and `python scripts/mouth_range.py NAME=RUN`.
"""
import argparse
import numpy as np
import mobileportrait.train as mt
from mobileportrait.face_knowledge import mouth_opening

def check(data: str, n: int = 4000):
    "Mean |opening(source) - opening(driving)| of uniform and of mined pairs, over the training clips."
    clips = mt.load_clips(data, exclude=tuple(mt.validation_split()))
    gaps = {}
    for name, share in (('uniform', 0.0), ('mined', 1.0)):
        ds = mt.PairDataset(clips, 64, 0, mouth_pairs=share)
        gaps[name] = [np.ptp(mouth_opening(c.landmarks[[a, b]])) for c, a, b, _ in map(ds.pair, range(n))]
    print(f"{len(clips)} training clips; |opening difference| in eye distances: " + ', '.join(
        f"{k} pairs mean {np.mean(v):.4f} (p90 {np.quantile(v, .9):.4f})" for k, v in gaps.items()))

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('run', nargs='?', help='run folder for checkpoints and log (needed unless --check)')
    p.add_argument('--minutes', type=float, default=80)
    p.add_argument('--init', default='tiny256'); p.add_argument('--share', type=float, default=0.5)
    p.add_argument('--init_disc', default=None, help="start the discriminator from this run folder's (or file's, or "
                   "shipped model's); default: --init's shipped discriminator if it has one; 'none': a new one")
    p.add_argument('--mouth', type=float, default=1.0); p.add_argument('--seed', type=int, default=7)
    p.add_argument('--data', default='data/shared256'); p.add_argument('--check', action='store_true')
    a = p.parse_args()
    if a.check: return check(a.data)
    if a.run is None: p.error('RUN (the run folder) is required unless --check')
    from mobileportrait.cli import train
    from mobileportrait.model import WEIGHTS_DIR
    if a.init_disc is None and (WEIGHTS_DIR/f'{a.init}_disc.safetensors').exists(): a.init_disc = a.init
    if a.init_disc == 'none': a.init_disc = None
    train(config='tiny-256-skip', data=a.data, out=a.run, init=a.init, init_disc=a.init_disc,
          freeze='kp_detector,merger', amp=True, channels_last=True, batch_size=4, lr=1e-4, adversarial=0.1,
          feature_matching=1.0, mouth=a.mouth, mouth_pairs=a.share, augment=True, budget_min=a.minutes,
          steps=1_000_000, threads=1, val_every=0, ckpt_every=50, seed=a.seed)

if __name__ == '__main__': main()
