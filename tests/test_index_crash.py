"""Crash safety of ``vanban index``: a subprocess killed with SIGKILL at random
points (fixed seed), several times, then run to the end, leaves exactly one
row per document with the same content as an uninterrupted run."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_store import SAMPLE, snapshot

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

COPIES = 2  # 15 sample documents x 2 = 30 files


def make_corpus(d: Path) -> int:
    """Copies of the sample corpus, each copy's bytes made unique (trailing
    blank lines) so every file is parsed, not copied from a twin."""
    n = 0
    for i in range(COPIES):
        sub = d / f"copy{i}"
        sub.mkdir(parents=True)
        for p in sorted(SAMPLE.iterdir()):
            (sub / p.name).write_bytes(p.read_bytes() + b"\n" * (i + 1))
            n += 1
    return n


def cmd(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", "index", str(corpus), "--db", str(db), "--batch", "3", "--quiet"]


def count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def check_consistent(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n, distinct = conn.execute("SELECT count(*), count(DISTINCT path) FROM documents").fetchone()
        assert n == distinct
        assert conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == n
        for t in ("refs", "items", "recipients", "signers", "back_refs"):
            orphans = conn.execute(f"SELECT count(*) FROM {t} WHERE doc_id NOT IN (SELECT id FROM documents)")
            assert orphans.fetchone()[0] == 0
        return n
    finally:
        conn.close()


def test_kill_9_then_rerun_gives_exactly_one_row_per_document(tmp_path):
    corpus = tmp_path / "docs"
    total = make_corpus(corpus)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))

    db = tmp_path / "killed.sqlite"
    rng = random.Random(20240905)
    mid_run_kills = 0
    for attempt in range(4):
        stored = count(db)
        if stored >= total:
            break
        # kill once the archive holds a random number of further rows, or,
        # every other time, after a random delay (start-up, check phase, graph)
        target = rng.randint(stored + 1, total) if attempt % 2 == 0 else None
        delay = rng.uniform(0.2, 2.5)
        proc = subprocess.Popen(cmd(corpus, db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.monotonic()
        while proc.poll() is None:
            if target is not None and count(db) >= target:
                break
            if target is None and time.monotonic() - t0 >= delay:
                break
            if time.monotonic() - t0 > 120:
                break
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            n = count(db)
            mid_run_kills += 0 < n < total
        after = check_consistent(db) if db.exists() else 0
        assert after >= stored  # committed rows survive a kill
    assert mid_run_kills >= 1, "no kill landed while documents were being stored"

    subprocess.run(cmd(corpus, db), check=True, env=env, timeout=300)
    assert check_consistent(db) == total

    reference = tmp_path / "reference.sqlite"  # uninterrupted
    subprocess.run(cmd(corpus, reference), check=True, env=env, timeout=300)
    assert snapshot(db) == snapshot(reference)
