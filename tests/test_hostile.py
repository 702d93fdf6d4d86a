"""A hostile-file corpus, generated here (nothing downloaded, nothing large
committed), indexed beside good documents: 0 crashes, 0 hangs beyond the
limit, one ``error`` row per bad file with its reason, and every good file
beside them stored with the same record a standalone parse gives.

The cases (docs/HOSTILE.md says what vanban does with each):

* bad files — no document can be read from them, each must give exactly one
  ``error`` row whose reason names the problem: empty and whitespace-only
  files, binary garbage named ``.txt``, a truncated and an encrypted PDF, a
  PDF whose only page is a 50 MB (decoded) image, a PNG decompression bomb, a
  DOCX zip bomb, a DOCX that is not a zip, XML entity expansion (billion
  laughs) in a DOCX, a 200 MB text file, a file deleted after the check phase,
  a symbolic link that points to itself;
* hostile but readable — must be stored ``ok``: a PDF of thousands of pages
  (read up to the page limit, with a ``limit: pages`` warning), billion
  laughs in HTML (read, never expanded), a 1 MB single line, mixed and legacy
  encodings, wrong extensions, a file rewritten after the check phase (its
  new content is stored), a symbolic-link loop in the folder tree (not
  followed: nothing indexed twice);
* worker faults, injected into the worker by patching the parse function
  (the processes are forked, so they inherit the patch): a parse stuck where
  the time alarm cannot reach it (killed after the limit), a worker that
  aborts (a C library crashing), a parse that allocates past the memory
  limit.  No real file here triggers those paths, yet each must cost one
  error row, not the run.

Unreadable permissions are a separate test, skipped when the tests run as
root (where ``chmod 000`` does not stop a read).

Sizes scale with environment variables for a longer local run:
``VANBAN_HOSTILE_BIG_MB`` (the big text file, default 200),
``VANBAN_HOSTILE_PAGES`` (the long PDF, default 3000),
``VANBAN_HOSTILE_LINE_MB`` (the single line, default 1).
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import random
import signal
import struct
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline import limits as L
from pipeline.ingest.text import encode_cp1258
from pipeline.store import Archive, index
from pipeline.store import indexer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "sample"
ENCODINGS = ROOT / "corpus" / "encodings"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

BIG_MB = int(os.environ.get("VANBAN_HOSTILE_BIG_MB", "200"))
PAGES = int(os.environ.get("VANBAN_HOSTILE_PAGES", "3000"))
LINE_MB = float(os.environ.get("VANBAN_HOSTILE_LINE_MB", "1"))

# limits of the hostile run (generous enough for two busy cores)
TIMEOUT = 20.0  # the slowest real file (the 1 MB line) takes about 3 s alone
MAX_PAGES = 100
MAX_FILE_MB = 50
MEMORY_MB = 1024

FORK = multiprocessing.get_start_method() == "fork"


@pytest.fixture(autouse=True)
def fixed_parser_version(monkeypatch):
    """Hashing the pipeline's files is not what these tests are about."""
    monkeypatch.setattr(indexer, "parser_version", lambda: f"{pipeline.__version__}+hostile")


# ---------------------------------------------------------------------------
# Building blocks

def sample(name: str) -> str:
    return (SAMPLE / name).read_text(encoding="utf-8")


def write_pdf(objs: dict[int, bytes]) -> bytes:
    """A PDF from numbered object bodies (object 1 the catalog), with a
    correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for k in sorted(objs):
        offs[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref, size = len(out), max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for k in range(1, size):
        out += b"%010d 00000 n \n" % offs[k]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(body), extra) + body + b"\nendstream"


def many_pages_pdf(n: int) -> bytes:
    """``n`` pages sharing one content stream (a line of text each)."""
    text = b"BT /F1 12 Tf 72 720 Td (Dieu 1. Noi dung trang) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
            3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            4: stream(text)}
    for i in range(n):
        objs[5 + i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    return write_pdf(objs)


def big_image_pdf(side: int = 7300) -> bytes:
    """One page covered by a ``side``×``side`` grey image (7300² ≈ 53 MB
    decoded), Flate-compressed to a few dozen KB: no text layer, so the
    reader sends the page to OCR."""
    comp = zlib.compressobj(9)
    row = b"\xff" * side
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    img = stream(body, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                       b"/BitsPerComponent 8 /Filter /FlateDecode " % (side, side))
    draw = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    return write_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>",
                      2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                         b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
                      4: img, 5: stream(draw)})


def fpdf_document(text: str, password: str | None = None) -> bytes:
    import fpdf
    pdf = fpdf.FPDF(format="A4", unit="pt")
    pdf.add_font("serif", "", str(FONT))
    pdf.set_font("serif", "", 9)
    if password:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.add_page()
    y = 40
    for line in text.splitlines():
        if y > 800:
            pdf.add_page()
            y = 40
        if line.strip():
            pdf.text(30, y, line)
        y += 12
    return bytes(pdf.output())


def docx_document(text: str) -> bytes:
    import docx
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def zip_bomb_docx(megabytes: int = 300) -> bytes:
    """A Word package whose document.xml really expands to ``megabytes`` MB
    of blank space inside valid XML (written in 1 MB pieces: the bomb is
    never held in memory here)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                     b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10)) + b"]>")


def laughs_docx() -> bytes:
    """A real Word package whose word/document.xml declares billion laughs,
    the DOCTYPE behind a 6 KB comment (past the first bytes a reader might
    look at)."""
    src = zipfile.ZipFile(io.BytesIO(docx_document(sample("sample-13-giay-moi.txt"))))
    buf = io.BytesIO()
    with src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                body = data[data.index(b"<w:document"):].replace(b"<w:t>", b"<w:t>&lol9;", 1)
                data = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!--' + b"x" * 6000 \
                    + b"-->" + LAUGHS + body
            z.writestr(info, data)
    return buf.getvalue()


def laughs_html() -> bytes:
    return (b'<?xml version="1.0"?>' + LAUGHS + b"<html><head><title>&lol9;</title></head>"
            b"<body><p>&lol9;</p><p>&lol9;&lol9;</p></body></html>")


def png_bomb(side: int = 40000) -> bytes:
    """A PNG that declares ``side``×``side`` pixels (1.6 G) in a few KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    comp = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (side // 8)
    idat = b"".join(comp.compress(row) for _ in range(64)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def write_big_text(path: Path, megabytes: int) -> None:
    """A text file of ``megabytes`` MB, written a megabyte at a time."""
    block = (sample("sample-01-quyet-dinh.txt") * 200).encode("utf-8")[: 1 << 20]
    with open(path, "wb") as fh:
        for _ in range(megabytes):
            fh.write(block)


def one_line(megabytes: float) -> bytes:
    """A document flattened into one line of ``megabytes`` MB (no line break)."""
    flat = " ".join(sample("sample-02-cong-van.txt").split())
    n = int(megabytes * (1 << 20))
    return ((flat + " ") * (n // len(flat.encode("utf-8")) + 1)).encode("utf-8")[:n].decode("utf-8", "ignore").encode()


def mixed_encoding(whole_line: bool) -> bytes:
    """UTF-8 with a paste from an old Windows file: one Windows-1252 dash
    (``whole_line=False``) or a whole body line in Windows-1258."""
    lines = sample("sample-01-quyet-dinh.txt").splitlines()
    k = next(i for i, ln in enumerate(lines) if ln.startswith("Điều 2"))
    if not whole_line:
        lines[k] = lines[k].replace(" ", " \udc96 ", 1)  # a lone 0x96 byte (cp1252 en dash)
        return "\n".join(lines).encode("utf-8", "surrogateescape")
    return b"\n".join(encode_cp1258(ln) if i == k else ln.encode("utf-8") for i, ln in enumerate(lines))


# ---------------------------------------------------------------------------
# The corpus

# bad file → what its error must say
BAD = {
    "empty.txt": r"empty document",
    "blank.txt": r"empty document",
    "garbage.txt": r"binary",
    "truncated.pdf": r"corrupt or truncated PDF",
    "encrypted.pdf": r"encrypted PDF",
    "image-50mb.pdf": r"OCR|no text|PDF without text",
    "bomb.png": r"DecompressionBomb|unreadable image|decompression bomb",
    "bomb.docx": r"zip bomb",
    "not-a-zip.docx": r"not a zip",
    "laughs.docx": r"DOCTYPE|ENTITY|entit",
    "big.txt": r"^limit: file size",
    "vanished.txt": r"FileNotFoundError",
    "self-loop.txt": r"symbolic links|OSError",
}
FAULTS = {
    "fault-hang.txt": r"^timeout: .*worker killed",
    "fault-abort.txt": r"^worker crashed",
    "fault-memory.txt": r"^limit: memory",
}


def build_corpus(d: Path) -> dict[str, bytes | None]:
    """Write the corpus under ``d``; returns the good files' names with the
    bytes a standalone parse must agree with (None: only the status is
    checked)."""
    d.mkdir()
    rng = random.Random(6)
    good: dict[str, bytes | None] = {}

    def put(name: str, data: bytes, is_good: bool = False) -> None:
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        if is_good:
            good[name] = data

    # good documents
    for name in ("sample-01-quyet-dinh.txt", "sample-05-nghi-quyet-dang.txt", "sample-07-quyet-dinh.md",
                 "sample-09-thong-tu.txt"):
        put(f"good/{name}", (SAMPLE / name).read_bytes(), True)
    for f in sorted(ENCODINGS.glob("*.txt")):          # UTF-16, UTF-8 with BOM, Windows-1258
        put(f"legacy/{f.name}", f.read_bytes(), True)
    put("good/giay-moi.docx", docx_document(sample("sample-13-giay-moi.txt")), True)
    if FONT.exists():
        put("good/thong-bao.pdf", fpdf_document(sample("sample-11-thong-bao.txt")), True)
        put("wrong/pdf-named.txt", fpdf_document(sample("sample-15-thong-bao-truong.txt")), True)
        encrypted = fpdf_document(sample("sample-11-thong-bao.txt"), password="secret")
    else:  # the encrypted case needs a font only to typeset something
        encrypted = None
    put("wrong/docx-named.pdf", docx_document(sample("sample-14-huong-dan.txt")), True)
    put("wrong/text-named.docx", (SAMPLE / "sample-10-bao-cao.txt").read_bytes(), True)
    put("wrong/html-named.txt", ("<!DOCTYPE html><html><body><pre>" + sample("sample-12-nghi-quyet-hdnd.txt")
                                 + "</pre></body></html>").encode("utf-8"), True)
    put("mixed-encoding.txt", mixed_encoding(False), True)
    put("mixed-line.txt", mixed_encoding(True), True)
    put("one-line.txt", one_line(LINE_MB), True)
    put("many-pages.pdf", many_pages_pdf(PAGES), True)
    put("laughs.html", laughs_html(), True)
    put("changing.txt", (SAMPLE / "sample-03-ke-hoach-flattened.txt").read_bytes())  # rewritten after check
    good["changing.txt"] = (SAMPLE / "sample-04-thong-bao-khong-dau.txt").read_bytes()
    (d / "good" / "loop").symlink_to("..")             # a folder loop: good/loop/good/loop/…
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to(d)                   # and one back to the root

    # bad files
    put("empty.txt", b"")
    put("blank.txt", b"   \n\t\n  \r\n   ")
    put("garbage.txt", rng.randbytes(65536))
    valid = fpdf_document(sample("sample-11-thong-bao.txt")) if FONT.exists() else many_pages_pdf(3)
    put("truncated.pdf", valid[: 400])
    if encrypted is not None:
        put("encrypted.pdf", encrypted)
    put("image-50mb.pdf", big_image_pdf())
    put("bomb.png", png_bomb())
    put("bomb.docx", zip_bomb_docx())
    put("not-a-zip.docx", rng.randbytes(20000))
    put("laughs.docx", laughs_docx())
    write_big_text(d / "big.txt", BIG_MB)
    put("vanished.txt", (SAMPLE / "sample-06-ke-hoach-lien-tich.txt").read_bytes())  # deleted after check
    (d / "self-loop.txt").symlink_to("self-loop.txt")
    if FORK:
        for name in FAULTS:
            put(name, (SAMPLE / "sample-08-to-trinh-du-thao.txt").read_bytes())
    return good


def faulty_parse(real):
    """The worker's parse function, with the injected faults."""
    def parse(path, data, limits=None):
        name = Path(path).name
        if name == "fault-hang.txt":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as if stuck in C code
            time.sleep(3600)
        if name == "fault-abort.txt":
            import faulthandler
            faulthandler.disable()  # pytest's handler would print the worker's stack
            os.abort()
        if name == "fault-memory.txt":
            blocks = []
            while True:  # grows until the limit stops it
                blocks.append(bytearray(64 << 20))
        return real(path, data, limits)
    return parse


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """Index the corpus once (two workers) and return what the tests look at."""
    mp = pytest.MonkeyPatch()
    mp.setattr(indexer, "parser_version", lambda: f"{pipeline.__version__}+hostile")
    mp.setattr(indexer, "KILL_GRACE", 2.0)
    mp.setattr(indexer, "_parse", faulty_parse(indexer._parse))
    tmp = tmp_path_factory.mktemp("hostile")
    d = tmp / "docs"
    good = build_corpus(d)
    events = []

    def progress(event, info):
        if event == "start":  # after the check phase, before any parse
            (d / "vanished.txt").unlink()
            (d / "changing.txt").write_bytes(good["changing.txt"])
        events.append(event)

    db = tmp / "archive.sqlite"
    t0 = time.monotonic()
    try:
        stats = index([d], db, workers=2, timeout=TIMEOUT, memory_mb=MEMORY_MB, max_pages=MAX_PAGES,
                      max_file_mb=MAX_FILE_MB, progress=progress)
    finally:
        mp.undo()
    seconds = time.monotonic() - t0
    with Archive(db) as a:
        docs = a.documents(include_deleted=True)
        records = {Path(p).relative_to(d).as_posix(): a.record(p) for p in docs["path"]}
    docs = docs.set_index(docs["path"].map(lambda p: Path(p).relative_to(d).as_posix()))
    return {"dir": d, "db": db, "stats": stats, "docs": docs, "records": records, "good": good,
            "seconds": seconds, "events": events}


def expected_bad(run) -> dict[str, str]:
    bad = dict(BAD)
    if not (run["dir"] / "encrypted.pdf").exists():
        del bad["encrypted.pdf"]
    if FORK:
        bad.update(FAULTS)
    return bad


# ---------------------------------------------------------------------------
# The run as a whole

def test_one_row_per_file_and_the_run_completes(hostile_run):
    st, docs = hostile_run["stats"], hostile_run["docs"]
    bad, good = expected_bad(hostile_run), hostile_run["good"]
    assert hostile_run["events"][-1] == "done"
    assert sorted(docs.index) == sorted([*bad, *good])       # exactly one row per file, nothing else
    assert docs.index.is_unique
    assert st.errors == len(bad) and st.ok == len(good) and st.unsupported == 0
    assert st.files == len(bad) + len(good)


def test_every_bad_file_has_an_error_row_with_its_reason(hostile_run):
    import re
    docs, records = hostile_run["docs"], hostile_run["records"]
    for name, reason in expected_bad(hostile_run).items():
        row = docs.loc[name]
        assert row["status"] == "error", (name, row["status"], row["warnings"])
        assert row["error"] and re.search(reason, row["error"]), (name, row["error"])
        rec = records[name]
        assert rec.number is None and rec.items == [] and rec.signers == []


def test_every_good_file_beside_them_is_stored_as_a_standalone_parse_gives(hostile_run):
    docs, records = hostile_run["docs"], hostile_run["records"]
    for name, data in hostile_run["good"].items():
        row = docs.loc[name]
        assert row["status"] == "ok" and pd.isna(row["error"]), (name, row["error"])
        if name in ("many-pages.pdf", "laughs.html", "one-line.txt"):
            continue  # checked below
        alone = pipeline.parse(data)
        rec = records[name]
        assert alone.number, name
        assert (rec.number, rec.date, rec.doc_type, rec.title) == \
               (alone.number, alone.date, alone.doc_type, alone.title), name
        assert rec.sha256 == hashlib.sha256(data).hexdigest(), name


def test_no_hang_beyond_the_limit(hostile_run):
    """Every document's parse time stays under the limit plus the kill grace
    (the stuck worker is the one that reaches it)."""
    docs = hostile_run["docs"]
    worst = docs["parse_seconds"].max()
    assert worst <= TIMEOUT + 2.0 + 1.0, docs.sort_values("parse_seconds").tail(3)[["parse_seconds", "error"]]


# ---------------------------------------------------------------------------
# Case by case

def test_long_pdf_is_read_up_to_the_page_limit(hostile_run):
    rec = hostile_run["records"]["many-pages.pdf"]
    assert rec.pages == MAX_PAGES
    assert any(w.startswith(f"limit: pages — {PAGES} pages, only the first {MAX_PAGES} read")
               for w in rec.warnings), rec.warnings


def test_entities_are_never_expanded(hostile_run):
    rec = hostile_run["records"]["laughs.html"]
    assert len(rec.text) < 1000 and "lollol" not in rec.text
    assert "lollol" not in hostile_run["records"]["laughs.docx"].text


def test_single_line_megabyte_is_parsed(hostile_run):
    rec = hostile_run["records"]["one-line.txt"]
    assert len(rec.text) > 0.9 * LINE_MB * (1 << 20) / 2  # Vietnamese: about 1.3 bytes per character


def test_mixed_encoding_keeps_the_utf8_and_says_what_it_replaced(hostile_run):
    rec = hostile_run["records"]["mixed-encoding.txt"]
    assert rec.number == "4127/QĐ-UBND" and rec.encoding == "utf-8"
    assert any("invalid UTF-8" in w for w in rec.warnings), rec.warnings


def test_mixed_encoding_line_by_line(hostile_run):
    rec = hostile_run["records"]["mixed-line.txt"]
    assert rec.number == "4127/QĐ-UBND"
    line = next(ln for ln in sample("sample-01-quyet-dinh.txt").splitlines() if ln.startswith("Điều 2"))
    assert line in unicodedata.normalize("NFC", rec.text)  # the pasted line decoded on its own
    assert rec.warnings


def test_big_file_is_refused_without_being_read_but_hashed(hostile_run):
    row = hostile_run["docs"].loc["big.txt"]
    assert row["size"] == BIG_MB << 20 and row["sha256"]
    assert f"over the {MAX_FILE_MB} MB limit" in row["error"]


def test_symlink_loops_are_not_followed(hostile_run):
    assert not [p for p in hostile_run["docs"].index if "/loop/" in p or p.startswith("sub/")]


def test_file_rewritten_after_the_check_is_stored_with_its_new_content(hostile_run):
    rec = hostile_run["records"]["changing.txt"]
    assert rec.sha256 == hashlib.sha256(hostile_run["good"]["changing.txt"]).hexdigest()
    assert rec.number == pipeline.parse(hostile_run["good"]["changing.txt"]).number


def test_rerun_parses_nothing_again_and_marks_the_vanished_file_deleted(hostile_run, monkeypatch):
    monkeypatch.setattr(indexer, "KILL_GRACE", 2.0)
    st = index([hostile_run["dir"]], hostile_run["db"], workers=2, timeout=TIMEOUT, memory_mb=MEMORY_MB,
               max_pages=MAX_PAGES, max_file_mb=MAX_FILE_MB)
    # unreadable files have no hash to compare and are tried again: the self-loop
    assert st.parsed == 1 and st.errors == 1 and st.deleted == 1
    with Archive(hostile_run["db"]) as a:
        docs = a.documents(include_deleted=True)
        gone = docs[docs["deleted"] == 1]["path"].map(lambda p: Path(p).name).tolist()
    assert gone == ["vanished.txt"]


# ---------------------------------------------------------------------------
# Permissions (not testable as root: chmod 000 does not stop root reading)

def _blocked(p: Path) -> bool:
    try:
        with open(p, "rb"):
            return False
    except PermissionError:
        return True


def test_unreadable_file_and_folder(tmp_path):
    d = tmp_path / "docs"
    (d / "locked").mkdir(parents=True)
    (d / "ok.txt").write_bytes((SAMPLE / "sample-01-quyet-dinh.txt").read_bytes())
    (d / "secret.txt").write_bytes((SAMPLE / "sample-02-cong-van.txt").read_bytes())
    (d / "locked" / "inner.txt").write_bytes((SAMPLE / "sample-13-giay-moi.txt").read_bytes())
    db = tmp_path / "a.sqlite"
    index([d], db)                                   # all three stored while readable
    os.chmod(d / "secret.txt", 0)
    os.chmod(d / "locked", 0)
    try:
        if not _blocked(d / "secret.txt"):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not block reads")
        (d / "secret.txt").touch()                   # a change, so it is read again
        st = index([d], db)
    finally:
        os.chmod(d / "secret.txt", 0o644)
        os.chmod(d / "locked", 0o755)
    with Archive(db) as a:
        docs = a.documents(include_deleted=True).set_index("path")
    assert "PermissionError" in docs.loc[str(d / "secret.txt"), "error"]
    # a folder that cannot be listed is reported, and its files are not marked deleted
    assert [Path(p).name for p, _ in st.unreadable] == ["locked"]
    assert docs.loc[str(d / "locked" / "inner.txt"), "deleted"] == 0


# ---------------------------------------------------------------------------
# The limit helpers

def test_cap_pdf_pages_keeps_the_first_pages():
    import pypdfium2 as pdfium
    data, note = L.cap_pdf_pages(many_pages_pdf(30), 7)
    assert len(pdfium.PdfDocument(data)) == 7 and note.startswith("limit: pages — 30 pages")
    same, none = L.cap_pdf_pages(many_pages_pdf(5), 7)
    assert none is None and same == many_pages_pdf(5)
    assert L.cap_pdf_pages(b"%PDF-1.4 truncated", 7) == (b"%PDF-1.4 truncated", None)


def _allocate(memory_mb: int, q) -> None:
    L.apply_memory_limit(memory_mb)
    try:
        bytearray((memory_mb + 64) << 20)
        q.put("allocated")
    except MemoryError:
        q.put("MemoryError")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_memory_limit_stops_an_allocation_past_it():
    ctx = multiprocessing.get_context("fork" if FORK else None)
    q = ctx.Queue()
    p = ctx.Process(target=_allocate, args=(128, q))
    p.start()
    p.join(60)
    assert q.get(timeout=5) == "MemoryError"


def test_file_size_limit_reason():
    assert L.file_size_error(10, L.Limits(file_mb=1)) is None
    assert L.file_size_error(3 << 20, L.Limits(file_mb=1)).startswith("limit: file size 3.0 MB")
    assert L.file_size_error(3 << 20, L.Limits(file_mb=None)) is None


def test_parse_never_raises_on_the_bad_files():
    """The same files through pipeline.parse (no indexer around it)."""
    for data in (png_bomb(), laughs_docx(), laughs_html(), many_pages_pdf(3)[:300], b"\x00" * 100):
        rec = pipeline.parse(data)
        assert isinstance(rec, pipeline.Record) and rec.warnings
