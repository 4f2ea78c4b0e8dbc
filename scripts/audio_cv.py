"""Person-disjoint cross-validation of an audio recipe (issue 25), written into an evaluation file:

    python scripts/audio_cv.py [STEPS] [RECIPE] [EVAL] [KEEP] [MEMBERS]

STEPS (default 600): one model per fold (the shipped models: 3 x 1500); MEMBERS (default 1): ensemble members per
fold (3: the shipped ensemble's size, ~3x the time). RECIPE: a trained audio model whose
metadata holds the recipe (default the shipped mobileportrait/weights/audio_tiny256.safetensors); EVAL: the json its
folds are written into (key `cv`; default the recipe's own .eval.json); KEEP: a folder for the fold models (default
runs/audio_cv/<recipe name>). Reads data/audio256 (the audio data files) and ../shared/data (persons, speech pool).
"""
import json, sys, torch, glob
torch.set_num_threads(1)
from dataclasses import replace
from pathlib import Path
from mobileportrait.audio import load_audio_models
from mobileportrait.audio_eval import cross_validate_speakers, speech_tracks, _people
args = sys.argv[1:]
steps = int(args[0]) if len(args) > 0 else 600
recipe = Path(args[1] if len(args) > 1 else 'mobileportrait/weights/audio_tiny256.safetensors')
out = Path(args[2]) if len(args) > 2 else recipe.with_suffix('.eval.json')
keep = Path(args[3]) if len(args) > 3 else Path('runs/audio_cv')/recipe.stem
members = int(args[4]) if len(args) > 4 else 1
cfg = replace(load_audio_models(recipe).cfg, ensemble=members, steps=steps)   # the run's recipe per fold
files = sorted(glob.glob('data/audio256/*.npz'))
pool = [w for _, w in speech_tracks('../shared/data', decoded=True)]
cv = cross_validate_speakers(files, _people('../shared/data'), cfg, 6, 1, pool, 4, keep, progress=True)
ev = json.loads(out.read_text()) if out.exists() else {}
ev['cv'] = cv
out.write_text(json.dumps(ev, indent=1))
print(cv['wins'], cv['minutes'])
