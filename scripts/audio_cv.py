"""Person-disjoint cross-validation of the shipped audio recipe (issue 25), appended to the run's evaluation:

    python scripts/audio_cv.py [STEPS]      # default 600 steps, one model per fold (the shipped models: 3 x 1500)

Reads runs/audio/audio256.safetensors (the recipe, in its metadata), data/audio256 (the audio data files) and ../shared/data (persons, the
speech pool); writes the folds into runs/audio/audio256.eval.json and the fold models into runs/audio/cv_folds/.
"""
import json, sys, torch, glob
torch.set_num_threads(1)
from dataclasses import replace
from pathlib import Path
from mobileportrait.audio import load_audio_models
from mobileportrait.audio_eval import cross_validate_speakers, speech_tracks, _people
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 600
out = Path('runs/audio/audio256.eval.json')
cfg = replace(load_audio_models('runs/audio/audio256.safetensors').cfg, ensemble=1, steps=steps)   # the run's recipe
files = sorted(glob.glob('data/audio256/*.npz'))
pool = [w for _, w in speech_tracks('../shared/data', decoded=True)]
cv = cross_validate_speakers(files, _people('../shared/data'), cfg, 6, 1, pool, 4, Path('runs/audio/cv_folds'), progress=True)
ev = json.loads(out.read_text()); ev['cv'] = cv; out.write_text(json.dumps(ev, indent=1))
print(cv['wins'], cv['minutes'])
