"""What a device call of this project's workplace (its `run` tool) would send to the GPU machine, against the
64 MiB it allows: the working tree (tracked and untracked-not-ignored files) plus the paths named in `carry`. The
tree alone is about 36 MiB, so the 40 MB pack that `pack --max_mb 60` makes does not fit beside it; `--make` writes
a pack sized to what is left.

    python scripts/gpu_payload.py [CARRY ...]        # sizes; exit 1 when they are over the limit
    python scripts/gpu_payload.py --make data/pack [--data data/shared256] [--margin 3]

Run it before the device call: a refused call still costs a try, and the session has one ~9-minute run.
"""
import argparse, subprocess, sys
from pathlib import Path

LIMIT_MIB = 64

def tree_bytes(root='.') -> int:
    "Bytes of the files that travel with every call: tracked, and untracked but not ignored."
    out = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], cwd=root,
                         capture_output=True, check=True).stdout
    files = (Path(root)/f for f in out.decode().split('\0') if f)
    return sum(p.stat().st_size for p in files if p.is_file() and not p.is_symlink())

def path_bytes(p) -> int:
    "Bytes under a carried path (a file or a folder)."
    p = Path(p)
    if p.is_file(): return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob('*') if f.is_file() and not f.is_symlink())

def report(carry, root='.') -> tuple[float, str]:
    "Total MiB that would travel, and one line that says so."
    tree = tree_bytes(root) / 2**20
    parts = {c: path_bytes(Path(root)/c) / 2**20 for c in carry}
    total = tree + sum(parts.values())
    items = ''.join(f' + {c} {mib:.1f}' for c, mib in parts.items())
    verdict = 'fits' if total <= LIMIT_MIB else 'OVER the limit: the call would be refused'
    return total, f'travels: working tree {tree:.1f}{items} = {total:.1f} MiB of {LIMIT_MIB} MiB: {verdict}'

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('carry', nargs='*', help='paths the call would carry (relative to the repository root)')
    p.add_argument('--make', help='write a training pack here, sized to fit beside the working tree')
    p.add_argument('--data', default='data/shared256', help='the preprocessed cache to pack (with --make)')
    p.add_argument('--margin', type=float, default=3.0, help='MiB left free (with --make)')
    a = p.parse_args()
    if a.make:
        from mobileportrait.train import make_pack
        budget = LIMIT_MIB - a.margin - report(a.carry)[0]     # what the tree and the other carried paths leave
        if budget < 5: sys.exit(f'error: only {budget:.1f} MiB left beside the working tree: not enough for a pack')
        print(f'pack budget {budget:.1f} MiB:', make_pack(a.data, a.make, max_mb=budget))
        a.carry.append(a.make)
    total, line = report(a.carry)
    print(line)
    sys.exit(0 if total <= LIMIT_MIB else 1)

if __name__ == '__main__': main()
