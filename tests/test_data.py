"The data at scale: the committed person-disjoint split, and fetch-data against a local HTTP server (no network)."
import functools, http.server, threading
from pathlib import Path
import pytest
from conftest import SAMPLES, cli

def test_split_is_person_disjoint(shared_data):
    from mobileportrait.train import validation_split, manifest_people, VAL_CLIPS, find_videos, clip_name
    split, people = validation_split(), manifest_people(shared_data/'MANIFEST.tsv')
    held = set(split.values())
    assert len(held) >= 8 and set(VAL_CLIPS) <= set(split)
    assert all(people[c] == p for c, p in split.items()), 'the split file agrees with the manifest'
    train = [clip_name(v, shared_data) for v in find_videos(shared_data) if clip_name(v, shared_data) not in split]
    assert train and not [c for c in train if people.get(c) in held], 'no training clip shows a held-out person'

@pytest.fixture
def server(tmp_path):
    "A local HTTP server over tmp/'mirror', laid out like raw.githubusercontent.com (REPO/REF/PATH)."
    root = tmp_path/'mirror'
    (root/'someone/heads/HEAD/assets').mkdir(parents=True)
    (root/'someone/heads/abc1234/old').mkdir(parents=True)
    (root/'someone/heads/HEAD/assets/d18.mp4').write_bytes((SAMPLES/'driving/d18.mp4').read_bytes())
    (root/'someone/heads/abc1234/old/d19.mp4').write_bytes((SAMPLES/'driving/tps_driving.mp4').read_bytes())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown()

def test_fetch_data_cli(server, tmp_path):
    man = tmp_path/'MANIFEST.tsv'
    n18, n19 = ((SAMPLES/'driving'/f).stat().st_size for f in ('d18.mp4', 'tps_driving.mp4'))
    man.write_text('file\tsource_repo\tsource_path\tbytes\tkind\tperson\n'
                   f'a/d18.mp4\tsomeone/heads\tassets/d18.mp4\t{n18}\tvideo+audio\tp1\n'
                   f'b/d19.mp4\tsomeone/heads\told/d19.mp4 @abc1234 (removed from HEAD)\t{n19}\tvideo\tp2\n'
                   'a/x.png\tsomeone/heads\tassets/x.png\t10\timage\t\n'
                   f'c/gone.mp4\tsomeone/heads\tassets/gone.mp4\t10\tvideo\tp3\n')
    r = cli('fetch-data', man, tmp_path/'data', '--base', server)
    assert r.returncode == 0, r.stderr
    assert '2 downloaded, 0 already there, 1 failed' in r.stdout and 'c/gone.mp4' in r.stderr
    assert (tmp_path/'data/a/d18.mp4').stat().st_size == n18 and (tmp_path/'data/b/d19.mp4').stat().st_size == n19
    assert not (tmp_path/'data/a/x.png').exists()
    r = cli('fetch-data', man, tmp_path/'data', '--base', server)          # resumable: nothing fetched twice
    assert '0 downloaded, 2 already there' in r.stdout
    r = cli('fetch-data', tmp_path/'missing.tsv', tmp_path/'data')
    assert r.returncode == 2 and 'no such manifest' in r.stderr
