"""Run every benchmark and print its figures (``make bench``).

Benchmarks measure; they never fail on timing (docs/STYLE.md). Each one builds its own throwaway
database, so running them touches neither the development database nor the test one.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shutil
import subprocess

import search


def main() -> None:
    started = time.perf_counter()
    search.main(sys.argv[1:])
    # The load benchmark needs a real server setup: PostgreSQL, Redis and wrk (bench/LOAD.md).
    if shutil.which("wrk") and shutil.which("pg_isready"):
        import dossiers

        dossiers.main([])
    else:
        print(
            "dossiers: skipped (needs wrk and PostgreSQL: apt-get install -y wrk; see bench/LOAD.md)"
        )
    # The queues need PostgreSQL; their own process, since Django is set up once per process.
    if shutil.which("pg_isready"):
        subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "queues.py")])
    else:
        print("queues: skipped (needs PostgreSQL; see bench/README.md)")
    # The statistics at 200,000 dossiers by default (--dossiers 10000000 by hand: bench/README.md).
    if shutil.which("pg_isready"):
        subprocess.run([sys.executable, str(Path(__file__).resolve().parent / "reports.py")])
    else:
        print("reports: skipped (needs PostgreSQL; see bench/README.md)")
    print(f"benchmarks done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
