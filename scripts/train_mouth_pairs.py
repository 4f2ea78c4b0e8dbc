"""Mouth-opening pair mining for the renderer (issues 20 and 25): continue a model with part of each batch drawn as
(source, driving) pairs whose mouths differ most, so that opening and closing a mouth is asked for more often than
the uniform pairs of `PairDataset` ask for it.

    python scripts/train_mouth_pairs.py RUN [--minutes 80] [--init tiny256] [--share 0.5] [--mouth 1] [--seed 7]
    python scripts/train_mouth_pairs.py --check      # how far apart the mined pairs' mouths are, no training

With probability `share` an item is mined: in a clip drawn as usual (by length), the driving frame comes from the
clip's widest-open fifth (inner-lip gap, `lipsync.mouth_opening`) and the source from its more closed half; half of
the mined pairs are swapped, so closing is asked for as often as opening. Otherwise the item is `PairDataset`'s.
The rest is `scripts/train_skip256.sh`'s recipe (keypoint detector and merger frozen, so the audio models stay
valid; patch discriminator, bf16, one core), with the mouth-crop loss at weight `mouth`. Needs data/shared256.
Afterwards: `python scripts/evaluate_quality.py NAME=RUN` and `python scripts/mouth_range.py NAME=RUN`.
"""
import argparse
import numpy as np
import mobileportrait.train as mt
from mobileportrait.lipsync import mouth_opening

class MouthPairDataset(mt.PairDataset):
    "`PairDataset` whose items are, with probability `share`, pairs of a wide-open and a more closed mouth."
    def __init__(self, clips, size, num_views, share: float = 0.5, **kwargs):
        super().__init__(clips, size, num_views, **kwargs)
        self.share, self.opening = share, [mouth_opening(c.landmarks) for c in clips]   # per clip: (N,) eye distances

    def mined_pair(self, rng: np.random.Generator) -> tuple[int, int, int]:
        "(clip, source frame, driving frame) of a mined pair."
        k = int(rng.choice(len(self.clips), p=self.p)); op = self.opening[k]
        closed, wide = np.flatnonzero(op <= np.quantile(op, 0.5)), np.flatnonzero(op >= np.quantile(op, 0.8))
        a, b = int(rng.choice(closed)), int(rng.choice(wide))
        if a == b: b = int(rng.choice(len(op)))
        return (k, b, a) if rng.random() < 0.5 else (k, a, b)

    def __getitem__(self, i: int) -> dict:
        rng = np.random.default_rng([self.seed, i, 1])   # its own stream: the unmined items stay PairDataset's
        if rng.random() >= self.share: return super().__getitem__(i)
        k, a, b = self.mined_pair(rng)
        c = self.clips[k]
        item = mt.clip_item(c, a, b, self.size, mt.view_indices(len(c), self.t))
        return mt.augment_item(item, rng) if self.augment else item

def check(data: str, n: int = 4000):
    "Mean |opening(source) - opening(driving)| of uniform and of mined pairs, over the training clips."
    clips = mt.load_clips(data, exclude=tuple(mt.validation_split()))
    ds = MouthPairDataset(clips, 64, 0, share=1.0)
    rng = np.random.default_rng(0)
    uni, mined = [], []
    for _ in range(n):
        k = int(rng.choice(len(clips), p=ds.p)); a, b = rng.choice(len(clips[k]), 2, replace=False)
        uni.append(abs(ds.opening[k][a] - ds.opening[k][b]))
        k, a, b = ds.mined_pair(rng); mined.append(abs(ds.opening[k][a] - ds.opening[k][b]))
    print(f"{len(clips)} training clips; |opening difference| in eye distances: uniform pairs mean "
          f"{np.mean(uni):.4f} (p90 {np.quantile(uni, .9):.4f}), mined pairs mean {np.mean(mined):.4f} "
          f"(p90 {np.quantile(mined, .9):.4f})")

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('run', nargs='?'); p.add_argument('--minutes', type=float, default=80)
    p.add_argument('--init', default='tiny256'); p.add_argument('--share', type=float, default=0.5)
    p.add_argument('--mouth', type=float, default=1.0); p.add_argument('--seed', type=int, default=7)
    p.add_argument('--data', default='data/shared256'); p.add_argument('--check', action='store_true')
    a = p.parse_args()
    if a.check: return check(a.data)
    mt.PairDataset = lambda *args, **kw: MouthPairDataset(*args, share=a.share, **kw)   # what mt.train builds
    from mobileportrait.cli import train
    train(config='tiny-256-skip', data=a.data, out=a.run, init=a.init, freeze='kp_detector,merger', amp=True,
          channels_last=True, batch_size=4, lr=1e-4, adversarial=0.1, feature_matching=1.0, mouth=a.mouth,
          augment=True, budget_min=a.minutes, steps=1_000_000, threads=1, val_every=0, ckpt_every=50, seed=a.seed)

if __name__ == '__main__': main()
