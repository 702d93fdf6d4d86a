"""The archive (pipeline/store): incremental indexing, search, the citation
graph, DataFrames, exports, migrations, and the command line."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import pipeline
from pipeline.normalize import fold
from pipeline.cli import app
from pipeline.store import Archive, RunError, index
from pipeline.store import indexer, schema

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "sample"


def snapshot(db: Path) -> dict:
    """Everything stored per document, keyed by path, ids replaced by paths
    (ids depend on the order of storing, content must not)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    path_of = {r["id"]: r["path"] for r in conn.execute("SELECT id, path FROM documents")}
    snap = {}
    for d in conn.execute("SELECT * FROM documents ORDER BY path"):
        entry = {k: d[k] for k in d.keys() if k not in ("id", "indexed_at", "parse_seconds")}
        for t in ("refs", "back_refs", "items", "recipients", "signers", "areas"):
            rows = []
            for r in conn.execute(f"SELECT * FROM {t} WHERE doc_id = ? ORDER BY id", (d["id"],)):
                row = {k: r[k] for k in r.keys() if k not in ("id", "doc_id")}
                if "target_id" in row:
                    row["target_id"] = path_of.get(row["target_id"])
                rows.append(row)
            entry[t] = rows
        fts = conn.execute("SELECT title, body, issuer, title_f, body_f, issuer_f FROM documents_fts WHERE rowid = ?",
                           (d["id"],)).fetchall()
        entry["fts"] = [tuple(f) for f in fts]
        snap[d["path"]] = entry
    conn.close()
    return snap


@pytest.fixture(autouse=True)
def fixed_parser_version(request, monkeypatch):
    """The parser version pinned for a test's runs, so that the checkout being
    edited meanwhile does not turn an unchanged rerun into a re-parse."""
    if request.node.name != "test_parser_version_hashes_the_pipeline_not_the_store":
        monkeypatch.setattr(indexer, "parser_version", lambda: f"{pipeline.__version__}+test")


@pytest.fixture
def corpus(tmp_path) -> Path:
    d = tmp_path / "docs"
    shutil.copytree(SAMPLE, d)
    return d


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("archive") / "sample.sqlite"
    index([SAMPLE], db)
    return db


# ---------------------------------------------------------------------------
# Incremental indexing

def test_full_index_stores_one_row_per_document(sample_db):
    files = sorted(p for p in SAMPLE.iterdir() if p.is_file())
    with Archive(sample_db) as a:
        docs = a.documents()
        assert sorted(docs["path"]) == sorted(str(p) for p in files)
        assert docs["path"].is_unique
        assert set(docs["status"]) == {"ok"}
        rec = a.record("4127/QĐ-UBND")
        assert rec == pipeline.parse(SAMPLE / "sample-01-quyet-dinh.txt").model_copy(
            update={"path": str(SAMPLE / "sample-01-quyet-dinh.txt")})
        n_fts = a.conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0]
        assert n_fts == len(docs)


def test_unchanged_rerun_parses_nothing(corpus, tmp_path, monkeypatch):
    db = tmp_path / "a.sqlite"
    first = index([corpus], db)
    assert first.parsed == first.files == 15 and first.new == 15
    before = snapshot(db)

    def boom(*a, **k):
        raise AssertionError("parsed on an unchanged rerun")

    monkeypatch.setattr(indexer, "_parse", boom)
    second = index([corpus], db)
    assert (second.files, second.unchanged, second.parsed, second.copied, second.errors) == (15, 15, 0, 0, 0)
    assert snapshot(db) == before
    with Archive(db) as a:
        runs = a.runs()
        assert list(runs["status"]) == ["done", "done"]
        assert [s["parsed"] for s in runs["stats"]] == [15, 0]


def test_changed_file_is_reparsed(corpus, tmp_path):
    db = tmp_path / "a.sqlite"
    index([corpus], db)
    f = corpus / "sample-01-quyet-dinh.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("4127/QĐ-UBND", "4128/QĐ-UBND"), encoding="utf-8")
    st = index([corpus], db)
    assert (st.changed, st.parsed, st.unchanged) == (1, 1, 14)
    with Archive(db) as a:
        docs = a.documents()
        assert len(docs) == 15
        row = docs[docs["path"] == str(f)].iloc[0]
        assert row["number"] == "4128/QĐ-UBND"
        assert a.find("4127/QĐ-UBND") == []


def test_parser_version_change_reparses_everything(corpus, tmp_path, monkeypatch):
    db = tmp_path / "a.sqlite"
    index([corpus], db)
    monkeypatch.setattr(indexer, "parser_version", lambda: "9.9.9+changed")
    st = index([corpus], db)
    assert st.parsed == 15 and st.changed == 15
    with Archive(db) as a:
        assert set(a.documents()["parser_version"]) == {"9.9.9+changed"}


def test_parser_version_hashes_the_pipeline_not_the_store(tmp_path, monkeypatch):
    v = indexer.parser_version()
    assert v.startswith(pipeline.__version__ + "+") and len(v.split("+")[1]) == 12
    # a copy of the package: the version follows the parser's files, not the store's
    pkg = tmp_path / "pipeline"
    shutil.copytree(Path(pipeline.__file__).parent, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(pipeline, "__file__", str(pkg / "__init__.py"))
    base = indexer.parser_version()
    (pkg / "store" / "archive.py").write_text("# edited\n", encoding="utf-8")
    (pkg / "cli.py").write_text("# edited\n", encoding="utf-8")
    assert indexer.parser_version() == base
    (pkg / "data" / "doc_types.yaml").write_text("# edited\n", encoding="utf-8")
    assert indexer.parser_version() != base


def test_deleted_file_is_marked_not_lost_and_comes_back(corpus, tmp_path):
    db = tmp_path / "a.sqlite"
    index([corpus], db)
    f = corpus / "sample-02-cong-van.txt"
    keep = f.read_bytes()
    f.unlink()
    st = index([corpus], db)
    assert st.deleted == 1 and st.parsed == 0
    with Archive(db) as a:
        assert str(f) not in set(a.documents()["path"])
        every = a.documents(include_deleted=True)
        row = every[every["path"] == str(f)].iloc[0]
        assert row["deleted"] == 1 and row["number"] == "412/SGDĐT-GDTrH"
        assert str(f) not in set(a.search("dạy thêm", limit=None)["path"])
        assert str(f) in set(a.search("dạy thêm", limit=None, include_deleted=True)["path"])
    f.write_bytes(keep)
    st = index([corpus], db)
    assert st.restored == 1 and st.parsed == 0
    with Archive(db) as a:
        assert str(f) in set(a.documents()["path"])


def test_other_folders_are_not_marked_deleted(corpus, tmp_path):
    db = tmp_path / "a.sqlite"
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SAMPLE / "sample-13-giay-moi.txt", other / "gm.txt")
    index([corpus, other], db)
    st = index([other], db)
    assert st.deleted == 0
    with Archive(db) as a:
        assert len(a.documents()) == 16


def test_copy_of_a_stored_file_is_not_parsed_again(corpus, tmp_path):
    db = tmp_path / "a.sqlite"
    index([corpus], db)
    src = corpus / "sample-05-nghi-quyet-dang.txt"
    dst = corpus / "sub" / "moved.txt"
    dst.parent.mkdir()
    shutil.move(src, dst)
    st = index([corpus], db)
    assert (st.new, st.copied, st.parsed, st.deleted) == (1, 1, 0, 1)
    with Archive(db) as a:
        rec = a.record(str(dst))
        assert rec.number == "15-NQ/TU" and rec.path == str(dst)


def test_missing_folder_fails_the_run_and_marks_nothing(corpus, tmp_path):
    db = tmp_path / "a.sqlite"
    index([corpus], db)
    with pytest.raises(RunError, match="no such folder"):
        index([corpus, tmp_path / "nope"], db)
    with Archive(db) as a:
        assert len(a.documents()) == 15


def test_only_recognized_files_are_indexed(tmp_path):
    d = tmp_path / "mixed"
    d.mkdir()
    shutil.copy(SAMPLE / "sample-01-quyet-dinh.txt", d / "a.txt")
    (d / "notes.json").write_text('{"a": 1}')
    (d / "script.py").write_text("print('hi')")
    (d / ".hidden.txt").write_text("x")
    (d / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (d / "noext").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (d / "bundle.zip").write_bytes(b"PK\x03\x04" + b"\0" * 64)
    (d / "page.docx").write_text("saved as .docx but plain text", encoding="utf-8")
    db = tmp_path / "a.sqlite"
    st = index([d], db)
    with Archive(db) as a:
        names = sorted(Path(p).name for p in a.documents()["path"])
    assert names == ["a.txt", "noext", "page.docx", "scan.pdf"]
    assert st.files == 4


def test_failing_and_slow_documents_get_error_rows_and_the_run_goes_on(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    shutil.copy(SAMPLE / "sample-13-giay-moi.txt", d / "ok.txt")
    (d / "broken.txt").symlink_to(d / "missing-target.txt")  # listed, cannot be read
    lines = (SAMPLE / "sample-01-quyet-dinh.txt").read_text(encoding="utf-8").splitlines()
    big = "\n".join(lines[:20] + lines[20:50] * 400 + lines[50:])  # ~800 KB: parses for seconds
    (d / "huge.txt").write_text(big, encoding="utf-8")
    db = tmp_path / "a.sqlite"
    st = index([d], db, timeout=0.3)
    assert (st.files, st.ok, st.errors, st.timeouts) == (3, 1, 2, 1)
    with Archive(db) as a:
        docs = a.documents().set_index(a.documents()["path"].map(lambda p: Path(p).name))
        assert docs.loc["huge.txt", "status"] == "error"
        assert docs.loc["huge.txt", "error"].startswith("timeout")
        assert docs.loc["broken.txt", "status"] == "error"
        assert "FileNotFoundError" in docs.loc["broken.txt", "error"]
        assert any(w.startswith("parse error: timeout") for w in a.record(str(d / "huge.txt")).warnings)
        assert docs.loc["ok.txt", "number"] == "286/GM-SYT"
    # an unchanged file whose parse failed is not retried unless asked; an
    # unreadable one has no hash to compare and is tried again
    st = index([d], db, timeout=0.3)
    assert (st.unchanged, st.parsed, st.timeouts) == (2, 1, 0)
    st = index([d], db, timeout=0.3, retry_errors=True)
    assert st.parsed == 2


def test_unsupported_format_is_stored_with_its_warning(tmp_path):
    from pipeline.ingest import READERS
    if "doc" in READERS:
        pytest.skip("a reader for legacy .doc exists now; pick another unsupported format")
    d = tmp_path / "docs"
    d.mkdir()
    (d / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    db = tmp_path / "a.sqlite"
    st = index([d], db)
    assert (st.files, st.unsupported, st.errors) == (1, 1, 0)
    with Archive(db) as a:
        row = a.documents().iloc[0]
        assert row["status"] == "unsupported" and row["format"] == "doc"
        assert any("unsupported format" in w for w in row["warnings"])


def test_process_pool_gives_the_same_rows_as_serial(tmp_path):
    serial, pool = tmp_path / "s.sqlite", tmp_path / "p.sqlite"
    index([SAMPLE], serial)
    st = index([SAMPLE], pool, workers=2)
    assert st.mode == "pool" and st.parsed == 15
    assert snapshot(pool) == snapshot(serial)


def test_dask_local_cluster_gives_the_same_rows_as_serial(tmp_path):
    distributed = pytest.importorskip("distributed")
    serial, viadask = tmp_path / "s.sqlite", tmp_path / "d.sqlite"
    index([SAMPLE], serial)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        st = index([SAMPLE], viadask, dask=client)
    assert st.mode == "dask" and st.parsed == 15 and st.errors == 0
    assert snapshot(viadask) == snapshot(serial)


def test_unreachable_dask_scheduler_fails_the_run(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(indexer, "DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(RunError, match="dask scheduler"):
        index([SAMPLE], tmp_path / "a.sqlite", dask="tcp://127.0.0.1:9")
    with Archive(tmp_path / "a.sqlite") as a:
        assert a.runs().iloc[-1]["status"].startswith("failed: cannot reach the dask scheduler")


# ---------------------------------------------------------------------------
# Search

def test_search_without_diacritics_finds_accented_text(sample_db):
    with Archive(sample_db) as a:
        hits = a.search("tiem phong vac xin")
        assert "12/TB-UBND" in set(hits["number"])
        hits = a.search("quyet dinh", doc_type="quyet dinh")
        assert set(hits["number"]) == {"4127/QĐ-UBND", "286/QĐ-SGD&ĐT"}
        # đ folds to d: not something FTS5's remove_diacritics does
        assert not a.search("dat dai").empty and not a.search("đất đai").empty


def test_search_with_diacritics_also_finds_a_document_typed_without(sample_db):
    with Archive(sample_db) as a:
        # sample-04 is typed without diacritics ("tiem phong")
        text = a.record("12/TB-UBND").text
        assert "tiem phong" in text.lower() or "tiêm phòng" in text.lower()
        assert "12/TB-UBND" in set(a.search("tiêm phòng")["number"])


def test_search_ranks_exact_accented_match_first(sample_db):
    with Archive(sample_db) as a:
        hits = a.search("kiểm kê đất đai")
        assert hits.iloc[0]["number"] == "4127/QĐ-UBND"
        assert "kiểm kê đất đai" in hits.iloc[0]["snippet"].lower()


def test_search_filters(sample_db):
    with Archive(sample_db) as a:
        assert set(a.search("", year=2024, doc_type="Thông báo")["number"]) == {"12/TB-UBND", "96/TB-UBND"}
        assert set(a.search("", issuer="thanh hoa")["number"]) == {"4127/QĐ-UBND"}
        assert a.search("", area="no such area").empty  # an area no record has
        assert a.search("xyzzy nothing like this").empty
        # FTS5 syntax is taken as plain words, never as an error
        assert a.search('"quyết định" (').shape[0] >= 1
        assert a.search("NEAR AND OR").empty


def test_search_by_number_tokens(sample_db):
    with Archive(sample_db) as a:
        assert "4127/QĐ-UBND" in set(a.search("4127/QĐ-UBND")["number"])
        assert "4127/QĐ-UBND" in set(a.search("4127/qd-ubnd")["number"])


# ---------------------------------------------------------------------------
# DataFrames and exports

def test_dataframes(sample_db):
    with Archive(sample_db) as a:
        docs = a.documents()
        assert {"number", "doc_type", "date", "issuer", "title", "sha256", "status", "warnings"} <= set(docs.columns)
        assert isinstance(docs.iloc[0]["warnings"], list)
        refs = a.references()
        qd = refs[refs["doc_number"] == "4127/QĐ-UBND"]
        assert "102/2024/NĐ-CP" in set(qd["number"])
        assert set(qd[qd["number"] == "102/2024/NĐ-CP"]["basis_kind"]) == {"căn cứ"}
        items = a.items()
        assert items["main"].sum() > 0 and (items["depth"] > 0).any()
        signers = a.signers()
        assert "Đỗ Minh Khải" in set(signers["name"])
        recips = a.recipients()
        assert {"nơi nhận"} <= set(recips["kind"])
        assert list(a.areas().columns)[:4] == ["id", "doc_id", "item_ord", "label"]
        full = a.documents(with_record=True)
        assert full.iloc[0]["record"]["path"] == full.iloc[0]["path"]


def test_export_jsonl_gives_the_records(sample_db, tmp_path):
    r = CliRunner().invoke(app, ["export", "--to", "jsonl", "--db", str(sample_db)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 15
    recs = [pipeline.Record.model_validate(x) for x in lines]
    one = next(x for x in recs if x.number == "4127/QĐ-UBND")
    assert one.text == "" and one.signers[0].name == "Đỗ Minh Khải"


def test_export_csv_and_parquet(sample_db, tmp_path):
    out = tmp_path / "docs.csv"
    r = CliRunner().invoke(app, ["export", "--to", "csv", "--db", str(sample_db), "--out", str(out)])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(out)
    assert len(df) == 15 and "4127/QĐ-UBND" in set(df["number"])
    pq = tmp_path / "refs.parquet"
    r = CliRunner().invoke(app, ["export", "--to", "parquet", "--table", "references", "--db", str(sample_db),
                                 "--out", str(pq)])
    assert r.exit_code == 0, r.output
    with Archive(sample_db) as a:
        assert len(pd.read_parquet(pq)) == len(a.references())
    r = CliRunner().invoke(app, ["export", "--to", "parquet", "--db", str(sample_db)])
    assert r.exit_code == 2


# ---------------------------------------------------------------------------
# Schema and migrations

def test_fresh_archive_is_wal_and_latest_schema(tmp_path):
    db = tmp_path / "a.sqlite"
    conn = schema.connect(str(db))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert schema.version(conn) == schema.LATEST
    conn.close()


def test_old_archive_is_migrated_and_keeps_its_rows(tmp_path):
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    schema.migrate(conn, target=1)
    conn.execute("INSERT INTO documents (path, status, indexed_at, record) VALUES ('/x.txt', 'ok', 'now', '{}')")
    conn.close()
    with Archive(db) as a:
        assert schema.version(a.conn) == schema.LATEST
        assert a.find("/x.txt") == [1]
        assert a.back_references().empty


def test_search_by_province_after_the_2025_merger(sample_db):
    with Archive(sample_db) as a:
        docs = a.documents()
        assert docs["province_2025"].notna().all()
        for name, n in docs["province_2025"].value_counts().items():
            hits = a.search(province=fold(name).upper(), limit=None)  # folded, any case
            assert len(hits) == n
            assert set(hits["id"]) == set(docs.loc[docs["province_2025"] == name, "id"])
        assert a.search(province="Kon Tum", limit=None).empty  # a former province is not a unit after 2025


def test_migration_fills_the_province_from_stored_records(tmp_path):
    db = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(db, isolation_level=None)
    schema.migrate(conn, target=2)
    conn.execute("INSERT INTO documents (path, status, indexed_at, record) "
                 "VALUES ('/a.txt', 'ok', 'now', '{\"province_2025\": \"Quảng Ngãi\"}')")
    conn.execute("INSERT INTO documents (path, status, indexed_at, record) VALUES ('/b.txt', 'error', 'now', 'not json')")
    conn.close()
    with Archive(db) as a:
        got = dict(a.conn.execute("SELECT path, province_2025 FROM documents").fetchall())
    assert got == {"/a.txt": "Quảng Ngãi", "/b.txt": None}


def test_archive_from_a_newer_vanban_is_refused(tmp_path):
    db = tmp_path / "new.sqlite"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.close()
    with pytest.raises(schema.SchemaError, match="newer"):
        Archive(db)


def test_missing_archive_is_an_error_not_an_empty_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Archive(tmp_path / "typo.sqlite")
    assert not (tmp_path / "typo.sqlite").exists()


# ---------------------------------------------------------------------------
# Command line

def test_cli_index_search_show(corpus, tmp_path):
    db = tmp_path / "a.sqlite"
    runner = CliRunner()
    r = runner.invoke(app, ["index", str(corpus), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "parsed" in r.stdout and "15" in r.stdout
    r = runner.invoke(app, ["index", str(corpus), "--db", str(db), "--quiet"])
    assert r.exit_code == 0 and r.stdout == ""
    r = runner.invoke(app, ["search", "quyet dinh", "--db", str(db), "--format", "jsonl"])
    assert r.exit_code == 0
    numbers = {json.loads(x)["number"] for x in r.stdout.splitlines()}
    assert "4127/QĐ-UBND" in numbers
    r = runner.invoke(app, ["show", "4127/qd-ubnd", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "4127/QĐ-UBND" in r.stdout and "Đỗ Minh Khải" in r.stdout and "102/2024/NĐ-CP" in r.stdout
    r = runner.invoke(app, ["show", "sample-13-giay-moi.txt", "--db", str(db)])
    assert r.exit_code == 0 and "286/GM-SYT" in r.stdout
    r = runner.invoke(app, ["show", "999/XX-YY", "--db", str(db)])
    assert r.exit_code == 1


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    d = tmp_path / "docs"
    d.mkdir()
    (d / "broken.txt").symlink_to(d / "gone.txt")
    r = runner.invoke(app, ["index", str(d), "--db", str(tmp_path / "a.sqlite")])
    assert r.exit_code == 0, r.output  # a failing document is not a failed run
    assert "FileNotFoundError" in r.stdout
    r = runner.invoke(app, ["index", str(tmp_path / "nope"), "--db", str(tmp_path / "a.sqlite")])
    assert r.exit_code == 1
    r = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 1
