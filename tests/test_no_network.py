"""vanban needs no network at run time and runs nothing from a document.

* **No network.**  With every way out of the machine blocked (``connect``
  on non-Unix sockets, ``getaddrinfo``, ``create_connection``; Unix sockets
  and pipes stay, the worker pool talks through them), parsing every format,
  indexing a folder in worker processes (forked: they inherit the block) and
  classifying with the area model must work, and no connection may have been
  tried.
* **No pickle, eval, exec or shell.**  The source of ``pipeline/`` is read
  with :mod:`ast`: no ``eval``/``exec``/``compile``/``__import__`` builtins,
  no pickle-family module (``pickle``, ``marshal``, ``shelve``, ``dill``,
  ``cloudpickle``) nor ``joblib.load``, no ``yaml.load``/``unsafe_load``,
  no ``numpy.load(allow_pickle=True)`` or ``pandas.read_pickle``, no
  ``os.system``/``os.popen``/``os.exec*``/``os.spawn*``, no ``shell=True``;
  ``subprocess`` only at the places in :data:`SUBPROCESS_ALLOWED`, each
  justified.  Model files are loaded only through ``skops.io.load`` with
  an explicit ``trusted=`` list of type names, and the model files shipped
  in ``models/`` are skops archives holding only those types.
"""

from __future__ import annotations

import ast
import io
import socket
from pathlib import Path

import pytest

import pipeline

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "pipeline"
SAMPLE = ROOT / "corpus" / "sample"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


class NetworkBlocked(OSError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Block every connection out of this process (and of processes forked
    from it); returns the list of attempts."""
    attempts: list[str] = []

    def refuse(what):
        attempts.append(what)
        raise NetworkBlocked(f"network access attempted: {what}")

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def connect(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)
        refuse(f"connect {address!r}")

    def connect_ex(self, address):
        if self.family == socket.AF_UNIX:
            return real_connect_ex(self, address)
        refuse(f"connect_ex {address!r}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(f"create_connection {address!r}"))
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: refuse(f"getaddrinfo {host!r}"))
    return attempts


def test_the_block_works(no_network):
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        s.connect(("127.0.0.1", 9))
    s.close()
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("pypi.org", 443)
    assert len(no_network) == 3


def _documents() -> dict[str, bytes]:
    docs = {f.name: f.read_bytes() for f in sorted(SAMPLE.glob("*"))[:4]}
    docs["page.html"] = ("<!DOCTYPE html><html><head><link rel='stylesheet' href='http://example.com/a.css'>"
                         "<script src='https://example.com/x.js'></script></head><body><pre>"
                         + (SAMPLE / "sample-13-giay-moi.txt").read_text(encoding="utf-8")
                         + "</pre><img src='http://example.com/seal.png'></body></html>").encode("utf-8")
    try:
        import docx
        d = docx.Document()
        for line in (SAMPLE / "sample-02-cong-van.txt").read_text(encoding="utf-8").splitlines():
            d.add_paragraph(line)
        buf = io.BytesIO()
        d.save(buf)
        docs["cong-van.docx"] = buf.getvalue()
    except ImportError:  # pragma: no cover - python-docx is a dependency
        pass
    if FONT.exists():
        import fpdf
        pdf = fpdf.FPDF(format="A4", unit="pt")
        pdf.add_font("serif", "", str(FONT))
        pdf.set_font("serif", "", 9)
        pdf.add_page()
        for k, line in enumerate((SAMPLE / "sample-11-thong-bao.txt").read_text(encoding="utf-8").splitlines()):
            if line.strip() and 40 + 12 * k < 800:
                pdf.text(30, 40 + 12 * k, line)
        docs["thong-bao.pdf"] = bytes(pdf.output())
    return docs


def test_parse_every_format_without_network(no_network):
    for name, data in _documents().items():
        rec = pipeline.parse(data)
        assert rec.number, (name, rec.warnings)
    assert no_network == []


def test_index_in_worker_processes_without_network(no_network, tmp_path, monkeypatch):
    from pipeline.store import Archive, index, indexer
    monkeypatch.setattr(indexer, "parser_version", lambda: f"{pipeline.__version__}+offline")
    d = tmp_path / "docs"
    d.mkdir()
    for name, data in _documents().items():
        (d / name).write_bytes(data)
    st = index([d], tmp_path / "a.sqlite", workers=2)
    assert st.errors == 0 and st.ok == st.files == len(list(d.iterdir())), st.error_list
    with Archive(tmp_path / "a.sqlite") as a:
        assert a.documents()["number"].notna().all()
        assert len(a.search("ke hoach")) >= 0
    assert no_network == []


def test_classify_without_network(no_network):
    model_mod = pytest.importorskip("pipeline.classify.model")
    from pipeline.classify import classify
    path = model_mod.MODELS_DIR / model_mod.MODEL_NAME
    if not path.exists():
        pytest.skip(f"no area model at {path}")
    model = model_mod.load(path)
    rec = classify(pipeline.parse(SAMPLE / "sample-01-quyet-dinh.txt"), model)
    assert rec.areas and all(0.0 <= a.score <= 1.0 for a in rec.areas)
    assert no_network == []


# ---------------------------------------------------------------------------
# The source: no pickle, eval, exec or shell

# "file:function" → why a subprocess is run there (never with shell, never
# with document content in the command line)
SUBPROCESS_ALLOWED = {
    "ingest/ocr.py:available": "runs `tesseract --list-langs` (fixed arguments) to see whether OCR is possible",
    "ingest/ocr.py:_tesseract": "runs tesseract with fixed arguments; the page image goes in on stdin as PNG bytes",
    "view.py:screenshot": "runs headless Chromium on an HTML file vanban wrote itself (`vanban view --png`); "
                          "arguments are a fixed flag list and paths, not document text",
}
PICKLE_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle"}
BUILTINS = {"eval", "exec", "compile", "__import__"}
OS_SHELL = {"system", "popen", "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
            "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe", "posix_spawn",
            "posix_spawnp"}


def _sources(root: Path):
    for path in sorted(root.rglob("*.py")):
        yield path.relative_to(root).as_posix(), ast.parse(path.read_text(encoding="utf-8"), str(path))


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _function_of(tree) -> dict[int, str]:
    """line → name of the innermost function defined around it."""
    where: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                if line not in where or where[line][1] < node.lineno:
                    where[line] = (node.name, node.lineno)
    return {k: v[0] for k, v in where.items()}


def _aliases(tree) -> dict[str, str]:
    """local name → module or object it was imported as."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def findings(root: Path = PKG) -> list[str]:
    bad: list[str] = []
    for rel, tree in _sources(root):
        funcs, alias = _function_of(tree), _aliases(tree)
        for node in ast.walk(tree):
            at = f"{rel}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in PICKLE_MODULES:
                        bad.append(f"{at}: import {a.name}")
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module.split(".")[0] in PICKLE_MODULES:
                    bad.append(f"{at}: from {node.module} import …")
                if node.module.split(".")[0] == "joblib" and any(a.name in ("load", "dump") for a in node.names):
                    bad.append(f"{at}: joblib load/dump")
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            head, _, rest = name.partition(".")
            full = f"{alias.get(head, head)}.{rest}" if rest else alias.get(head, head)
            kw = {k.arg: k.value for k in node.keywords}
            if isinstance(node.func, ast.Name) and node.func.id in BUILTINS and node.func.id not in alias:
                bad.append(f"{at}: {node.func.id}()")
            if full.startswith("os.") and full.split(".")[-1] in OS_SHELL:
                bad.append(f"{at}: {full}()")
            if "shell" in kw and not (isinstance(kw["shell"], ast.Constant) and kw["shell"].value is False):
                bad.append(f"{at}: shell=")
            if full.startswith("subprocess."):
                key = f"{rel}:{funcs.get(node.lineno, '<module>')}"
                if key not in SUBPROCESS_ALLOWED:
                    bad.append(f"{at}: {full}() not in SUBPROCESS_ALLOWED ({key})")
            if full in ("yaml.load", "yaml.unsafe_load", "yaml.full_load", "yaml.load_all", "yaml.unsafe_load_all"):
                bad.append(f"{at}: {full}()")
            if full in ("joblib.load", "pandas.read_pickle", "torch.load") or name.endswith("read_pickle"):
                bad.append(f"{at}: {full}()")
            if full.endswith(".load") and full.split(".")[0] in ("numpy", "np") and "allow_pickle" in kw:
                bad.append(f"{at}: numpy.load(allow_pickle=…)")
            if full in ("skops.io.load", "skops.io.loads"):
                t = kw.get("trusted")
                if t is None or (isinstance(t, ast.Constant)):
                    bad.append(f"{at}: {full}() without an explicit trusted= list")
    return bad


def test_no_pickle_eval_exec_or_shell_in_the_pipeline():
    assert findings() == []


def test_the_source_check_finds_what_it_looks_for(tmp_path):
    """The check itself, on a planted module."""
    planted = tmp_path / "_planted_for_test.py"
    planted.write_text("import pickle\nimport subprocess\nimport skops.io as sio\nimport yaml\n"
                       "def f(x):\n    eval(x)\n    subprocess.run(x, shell=True)\n    sio.load(x, trusted=True)\n"
                       "    yaml.load(x)\n    __import__('os').system(x)\n", encoding="utf-8")
    got = findings(tmp_path)
    assert len(got) == 7, got  # import pickle, eval, shell=, subprocess, skops trusted=True, yaml.load, __import__


def test_skops_models_hold_only_trusted_types():
    model_mod = pytest.importorskip("pipeline.classify.model")
    trusted = model_mod.TRUSTED
    assert isinstance(trusted, list) and trusted and all(isinstance(t, str) for t in trusted)
    assert not [t for t in trusted if t.startswith(("pipeline.", "sklearn.", "__main__"))]
    models = ROOT / "models"
    files = sorted(p for p in models.glob("*") if p.is_file()) if models.is_dir() else []
    for p in files:
        head = p.read_bytes()[:4]
        assert not head.startswith(b"\x80") and p.suffix not in (".pkl", ".pickle", ".joblib"), f"pickle file {p}"
        if p.suffix == ".skops":
            assert model_mod.file_types(p) <= set(trusted), p
    if not any(p.suffix == ".skops" for p in files):
        pytest.skip("no model file in models/")


def test_a_model_with_an_untrusted_type_is_refused(tmp_path):
    model_mod = pytest.importorskip("pipeline.classify.model")
    sio = pytest.importorskip("skops.io")
    from collections import OrderedDict
    path = tmp_path / "evil.skops"
    sio.dump({"format": 1, "x": OrderedDict(a=1)}, path)
    with pytest.raises(model_mod.UntrustedModelError):
        model_mod.load(path)
