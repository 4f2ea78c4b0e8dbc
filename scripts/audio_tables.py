"""Markdown tables of an audio evaluation (`mobileportrait train-audio` writes OUT.eval.json):

    python scripts/audio_tables.py mobileportrait/weights/audio_tiny256.eval.json
"""
import json, sys
import numpy as np

MEASURES = (('lmd', 'LMD ↓', 5), ('range_ratio', 'opening range / real ↑', 2), ('corr', 'corr. with real opening ↑', 3),
            ('offset_confidence_detrended', 'offset conf. (detrended) ↑', 3))

def _row(name, r):
    cell = lambda k, d: '–' if r.get(k) is None or r[k] != r[k] else f'{r[k]:.{d}f}'   # None or NaN: a dash
    return f"| {name} | " + ' | '.join(cell(k, d) for k, _, d in MEASURES) + ' |'

def table(block: dict, whos=('model', 'static', 'mismatched', 'real')) -> str:
    head = '| drive | ' + ' | '.join(h for _, h, _ in MEASURES) + ' |\n|---|' + '---|' * len(MEASURES)
    return '\n'.join([head] + [_row(w, block['mean'][w]) for w in whos if w in block['mean']])

def per_clip(block: dict) -> str:
    head = ('| clip | model LMD | static LMD | mismatched LMD | model range / real | model corr. '
            '| rank of own audio |\n|---|---|---|---|---|---|---|')
    rows = [f"| {k} | {r['model']['lmd']:.5f} | {r['static']['lmd']:.5f} | {r['mismatched']['lmd']:.5f} | "
            f"{r['model']['range_ratio']:.2f} | {r['model']['corr']:.3f} | "
            f"{r['model']['rank']} of {r['mismatched']['tracks'] + 1} |"
            for k, r in block['clips'].items()]
    return '\n'.join([head] + rows)

def cv_table(cv: dict) -> str:
    head = ('| fold | clips | model LMD | static LMD | mismatched LMD | model range / real | model corr. |\n'
            '|---|---|---|---|---|---|---|')
    rows = [f"| {i + 1} | {len(f['clips'])} | {f['mean']['model']['lmd']:.5f} | {f['mean']['static']['lmd']:.5f} | "
            f"{f['mean']['mismatched']['lmd']:.5f} | {f['mean']['model']['range_ratio']:.2f} | "
            f"{f['mean']['model']['corr']:.3f} |"
            for i, f in enumerate(cv['folds'])]
    return '\n'.join([head] + rows + [f"\nwins: {cv['wins']} of {cv['k']} folds ({cv['minutes']} min)"])

if __name__ == '__main__':
    ev = json.load(open(sys.argv[1]))
    for k in ('landmarks', 'rendered'):
        if k in ev: print(f'### {k}\n\n{table(ev[k])}\n\n{per_clip(ev[k])}\n')
    if 'cv' in ev: print(f"### cross-validation\n\n{cv_table(ev['cv'])}")
