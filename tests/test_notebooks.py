"""The notebooks in notebooks/ run top to bottom on the sample corpus and
draw their charts; each .ipynb is in sync with its jupytext .py twin."""

from __future__ import annotations

from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")
pytest.importorskip("networkx")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SCRIPTS = sorted(NOTEBOOKS.glob("*.py"))


def _sources(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_there_are_notebooks():
    assert [p.name for p in SCRIPTS] == ["01_parse_a_folder.py", "02_index_and_chart.py", "03_retrain_areas.py"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_ipynb_is_paired_with_py(script):
    ipynb = script.with_suffix(".ipynb")
    assert ipynb.exists(), f"run: jupytext --sync {script.name}"
    assert _sources(jupytext.read(ipynb)) == _sources(jupytext.read(script)), f"run: jupytext --sync {script.name}"


def _run(script: Path, tmp_path: Path, monkeypatch) -> list:
    monkeypatch.setenv("VANBAN_DB", str(tmp_path / "archive.sqlite"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = jupytext.read(script)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_parse_a_folder_notebook(tmp_path, monkeypatch):
    outputs = _run(NOTEBOOKS / "01_parse_a_folder.py", tmp_path, monkeypatch)
    assert not [o for o in outputs if o.output_type == "error"]
    tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert tables and any("4127/QĐ-UBND" in t for t in tables)   # the DataFrame of records
    assert any("Phú Thọ" in t for t in tables)                     # province_2025 grouping
    assert any("15 documents" in o.get("text", "") for o in outputs if o.output_type == "stream")


def test_index_and_chart_notebook(tmp_path, monkeypatch):
    outputs = _run(NOTEBOOKS / "02_index_and_chart.py", tmp_path, monkeypatch)
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 3  # the four panels, the provinces, the citation graph
    assert (tmp_path / "archive.sqlite").exists()
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "nodes," in streams and "edges" in streams


def test_retrain_areas_notebook(tmp_path, monkeypatch):
    outputs = _run(NOTEBOOKS / "03_retrain_areas.py", tmp_path, monkeypatch)
    assert not [o for o in outputs if o.output_type == "error"]
    tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("your model" in t and "sample-04-thong-bao-khong-dau.txt" in t for t in tables)
    streams = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "15 labelled documents" in streams
    assert "sample-04-thong-bao-khong-dau.txt → [('Lĩnh vực khác'" in streams  # the researcher's label, reloaded
