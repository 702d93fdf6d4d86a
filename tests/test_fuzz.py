"""Property-based tests of the text pipeline (hypothesis) and a check of
every regular expression for super-linear backtracking.

1. **Never raises, spans stay inside.**  Random text and mutated real
   documents (the project's own ``corpus/`` files as seeds, plus
   ``../shared/corpus/dev`` text files when present) go through
   :func:`pipeline.parse_text`; it must return a record, and every ``span``
   anywhere in the record (provenance, legal bases and their references,
   items, recipients, signers…) must lie inside the record's text.  Random
   bytes go through :func:`pipeline.parse` (the decoders) the same way.
2. **No regex backtracks super-linearly.**  Every compiled pattern of
   ``pipeline/patterns.py``, ``zones.py``, ``normalize.py`` and
   ``extract/*.py`` (module-level patterns, and literal patterns passed to
   ``re.*`` inside functions, found with :mod:`ast`) is run with
   ``finditer`` over adversarial single lines: a piece of text the pattern
   itself repeats (the body of each ``+``/``*``/``{n,}``, each alternative),
   and a few generic pieces (spaces, letters, digits, punctuation), pumped
   to a long line and ended by a character nothing expects.  The time is
   measured at sizes growing fourfold until it is measurable; linear time
   grows ×4 from one size to the next, quadratic ×16: a ratio above
   :data:`SUPERLINEAR` fails.  Ratios, not absolute timings, and CPU time of
   this thread with garbage collection off, so that neither a busy machine
   nor the size of the test process decides; a pattern that is
   still too fast to measure at :data:`MAX_LEN` characters is linear
   enough.  Exponential patterns are stopped by an alarm (CPython's regex
   engine checks signals) and fail.
3. **No extractor is super-linear on a long line**: the whole parse of a
   long adversarial line, measured the same way.

Budget: ``VANBAN_FUZZ_EXAMPLES`` examples per property (default 40; seeded,
``derandomize``), e.g. ``VANBAN_FUZZ_EXAMPLES=5000 python3 -m pytest -q
tests/test_fuzz.py`` for a longer local run.

Patterns listed in :data:`ALLOWED` are quadratic in principle but only ever
applied to short strings; each entry says why.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib
import os
import random
import re
import signal
import time
import unicodedata
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import pipeline  # noqa: E402

try:  # Python ≥ 3.11
    import re._constants as C
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore
    import sre_parse  # type: ignore

ROOT = Path(__file__).resolve().parents[1]
SHARED_DEV = ROOT.parent / "shared" / "corpus" / "dev"
EXAMPLES = int(os.environ.get("VANBAN_FUZZ_EXAMPLES", "40"))

FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------------
# 1. Random and mutated documents

def _seed_texts() -> list[str]:
    files = sorted((ROOT / "corpus").rglob("*.txt")) + sorted((ROOT / "corpus").rglob("*.md"))
    if SHARED_DEV.is_dir():
        files += sorted(SHARED_DEV.rglob("*.txt"))[:30] + sorted(SHARED_DEV.rglob("*.md"))[:10]
    out = []
    for f in files:
        if f.name.lower() == "readme.md":
            continue
        try:
            text, _, _ = _decode(f.read_bytes())
        except OSError:
            continue
        if text.strip():
            out.append(text)
    return out


def _decode(data: bytes):
    from pipeline.ingest.text import decode
    return decode(data)


SEEDS = _seed_texts()
ALPHABET = ("abcdeghiklmnopqrstuvxyĐđÂâĂăÊêÔôƠơƯưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
            "ABCDEGHIKLMNOPQRSTUVXYÁÀẢÃẠẤẦ0123456789 \t\n\r\f\v.,;:-–—/()[]{}\"'*_#|\\<>&%@!?+=~^"
            "\u00a0\u200b\ufeff\u0300\u0301\u0303\u0309\u0323")
WORDS = ["Căn cứ", "Số:", "QUYẾT ĐỊNH", "Điều 1.", "Nơi nhận:", "Kính gửi:", "V/v", "KT. GIÁM ĐỐC", "ngày",
         "tháng", "năm", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "/QĐ-UBND",
         "Nghị định số 30/2020/NĐ-CP", "- Lưu: VT.", "a)", "1.", "I.", "PHỤ LỤC", "\n", "    ", "./."]

pieces = st.one_of(st.text(alphabet=ALPHABET, max_size=40), st.sampled_from(WORDS))
random_text = st.lists(pieces, max_size=60).map("".join)


@st.composite
def mutated(draw) -> str:
    """A seed document with a few random edits."""
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "swap_lines", "join_lines", "truncate",
                                     "upper", "nfd", "strip_marks", "pump", "crlf"]))
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 400)))
        if kind == "delete":
            text = text[:a] + text[b:]
        elif kind == "duplicate":
            text = text[:b] + text[a:b] * draw(st.integers(1, 5)) + text[b:]
        elif kind == "insert":
            text = text[:a] + draw(random_text) + text[a:]
        elif kind == "swap_lines":
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif kind == "join_lines":
            text = text[:a] + text[a:b].replace("\n", " ") + text[b:]
        elif kind == "truncate":
            text = text[:a]
        elif kind == "upper":
            text = text[:a] + text[a:b].upper() + text[b:]
        elif kind == "nfd":
            text = text[:a] + unicodedata.normalize("NFD", text[a:b]) + text[b:]
        elif kind == "strip_marks":
            text = text[:a] + "".join(c for c in unicodedata.normalize("NFD", text[a:b])
                                      if not unicodedata.combining(c)) + text[b:]
        elif kind == "pump":
            text = text[:a] + draw(st.sampled_from(WORDS + [" ", ".", "-", "("])) * draw(st.integers(50, 3000)) \
                + text[a:]
        elif kind == "crlf":
            text = text.replace("\n", "\r\n")
    return text


def spans(obj, path="record"):
    """Every ``span`` in a record's dict form, with where it was found."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "span" and v is not None:
                yield path, v
            else:
                yield from spans(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from spans(v, f"{path}[{i}]")


def check_record(rec, text: str) -> None:
    assert isinstance(rec, pipeline.Record)
    assert isinstance(rec.text, str)
    n = len(rec.text)
    for where, span in spans(rec.to_dict()):
        assert isinstance(span, (list, tuple)) and len(span) == 2, (where, span)
        a, b = span
        assert isinstance(a, int) and isinstance(b, int), (where, span)
        assert 0 <= a <= b <= n, (where, span, n)
    for field, prov in rec.provenance.items():
        if prov.span is not None:
            a, b = prov.span
            assert 0 <= a <= b <= n, (field, prov.span, n)
            assert 0.0 <= prov.confidence <= 1.0, (field, prov.confidence)
    assert all(isinstance(w, str) for w in rec.warnings)


@FUZZ
@given(random_text)
def test_random_text_never_raises_and_spans_stay_inside(text):
    check_record(pipeline.parse_text(text), text)


@pytest.mark.skipif(not SEEDS, reason="no seed documents")
@FUZZ
@given(mutated())
def test_mutated_documents_never_raise_and_spans_stay_inside(text):
    check_record(pipeline.parse_text(text), text)


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    rec = pipeline.parse(data)
    assert isinstance(rec, pipeline.Record)
    check_record(rec, rec.text)


@pytest.mark.skipif(not SEEDS, reason="no seed documents")
@FUZZ
@given(mutated(), st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1258"]))
def test_mutated_documents_as_bytes_never_raise(text, encoding):
    rec = pipeline.parse(text.encode(encoding, "replace"))
    check_record(rec, rec.text)


# ---------------------------------------------------------------------------
# 2. Every regex: time over adversarial lines grows linearly

MODULES = ["pipeline.patterns", "pipeline.zones", "pipeline.normalize"] + sorted(
    f"pipeline.extract.{p.stem}" for p in (ROOT / "pipeline" / "extract").glob("*.py") if p.stem != "__init__")
SUPERLINEAR = 8.0       # time ratio for a fourfold longer line: linear ≈ 4, quadratic ≈ 16
MIN_SECONDS = 0.004     # CPU time a measurement needs to count
MAX_LEN = 1 << 16       # characters
ALARM = 10              # seconds for one pattern: an exponential one never ends
GENERIC = [" ", "a", "A", "1", "Đ", ".", "-", "/", "a ", "1/", "A ", ", ", ": ", "\t", "(", "ab1-/. "]

# pattern source → why its quadratic worst case cannot be reached
ALLOWED: dict[str, str] = {
    importlib.import_module("pipeline.extract.issuer")._SUBJECT_VERB.pattern:
        "issuer._SUBJECT_VERB is only used with .match() (one start position: linear) on a slice of at most "
        "40 characters",
    importlib.import_module("pipeline.zones")._UPPER_TAIL.pattern:
        "zones._UPPER_TAIL (.match, quadratic in the number of ';.,:' on a line with no lowercase letter "
        "after them) runs once per footer cell; a linear form needs a reverse scan in code (reported); "
        "the whole-parse test below covers long footer lines",
}

_RE_FUNCS = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}


def _flags(node) -> int:
    try:
        return int(eval(compile(ast.Expression(node), "<flags>", "eval"), {"re": re}))  # noqa: S307 - re.* flag constants from our own source
    except Exception:
        return 0


def collect_patterns() -> dict[tuple[str, int], str]:
    """(pattern, flags) → where it is defined, for every pattern of MODULES."""
    found: dict[tuple[str, int], str] = {}

    def add(where: str, p) -> None:
        if isinstance(p, re.Pattern) and isinstance(p.pattern, str):
            found.setdefault((p.pattern, p.flags), where)

    def scan(where: str, v, depth: int = 0) -> None:
        if isinstance(v, re.Pattern):
            add(where, v)
        elif depth < 2 and isinstance(v, (list, tuple, set, frozenset)):
            for i, x in enumerate(v):
                scan(f"{where}[{i}]", x, depth + 1)
        elif depth < 2 and isinstance(v, dict):
            for k, x in v.items():
                scan(f"{where}[{k!r}]", x, depth + 1)

    for name in MODULES:
        mod = importlib.import_module(name)
        for k, v in vars(mod).items():
            scan(f"{name}.{k}", v)
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                continue
            flags = 0
            for kw in node.keywords:
                if kw.arg == "flags":
                    flags = _flags(kw.value)
            if node.func.attr == "compile" and len(node.args) > 1:
                flags = _flags(node.args[1])
            try:
                add(f"{name}:{node.lineno}", re.compile(node.args[0].value, flags))
            except re.error:
                pass
    return found


def _cat(c) -> str:
    name = str(c).lower()
    if "not" in name:
        return "a" if ("digit" in name or "space" in name) else " "
    return "1" if "digit" in name else " " if "space" in name else "a"


def _in(av) -> str:
    if av and av[0][0] is C.NEGATE:
        bad = set()
        for op, a in av[1:]:
            if op is C.LITERAL:
                bad.add(chr(a))
            elif op is C.RANGE:
                bad.update(chr(x) for x in range(a[0], min(a[1], a[0] + 500) + 1))
        return next((ch for ch in "a1 .Đ-x" if ch not in bad), "\u4e00")
    op, a = av[0]
    return chr(a) if op is C.LITERAL else chr(a[0]) if op is C.RANGE else _cat(a) if op is C.CATEGORY else "a"


def _example(items, pumps: set[str]) -> str:
    """A string the pattern (roughly) matches; the bodies of its unbounded
    repeats and its alternatives go into ``pumps``."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(chr(av))
        elif op is C.NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op is C.ANY:
            out.append("a")
        elif op is C.IN:
            out.append(_in(av))
        elif op is C.CATEGORY:
            out.append(_cat(av))
        elif op is C.BRANCH:
            alts = [_example(b, pumps) for b in av[1]]
            pumps.update(a for a in alts[:12] if a)
            out.append(alts[0])
        elif op is C.SUBPATTERN:
            out.append(_example(av[-1], pumps))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
            lo, hi, item = av
            e = _example(item, pumps)
            if e and (hi is C.MAXREPEAT or hi > 20):
                pumps.add(e)
            out.append(e * max(lo, 1))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append(_example(av, pumps))
    return "".join(out)


def adversarial_lines(p: re.Pattern) -> list:
    """Makers of adversarial lines of a given length for ``p``."""
    pumps: set[str] = set()
    full = _example(list(sre_parse.parse(p.pattern, p.flags)), pumps)
    pumps.update(GENERIC)
    makers = []
    for pump in sorted(pumps, key=lambda s: (len(s), s))[:18]:
        for pre in {"", full[:200]}:
            makers.append((pump, pre, lambda n, pump=pump, pre=pre: pre + pump * max(1, n // len(pump)) + "\x00!"))
    return makers


class _Overrun(Exception):
    pass


@contextlib.contextmanager
def _no_gc(collect: bool = False):
    """Garbage collection off while timing: a full collection costs time in
    proportion to everything alive in the test process, not to the input."""
    if collect:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _cpu(p: re.Pattern, s: str, reps: int = 2) -> float:
    best = float("inf")
    for _ in range(reps):
        with _no_gc():
            t0 = time.thread_time()
            for _m in p.finditer(s):
                pass
            best = min(best, time.thread_time() - t0)
    return best


def growth(p: re.Pattern, make) -> tuple[float, int, float]:
    """(ratio between the last two sizes, last size, its time); ratio 0 when
    the pattern stays too fast to measure up to MAX_LEN."""
    n, prev = 256, None
    while n <= MAX_LEN:
        t = _cpu(p, make(n))
        if prev is not None and t >= MIN_SECONDS:
            return t / max(prev, 1e-9), n, t
        prev = t
        n *= 4
    return 0.0, n // 4, prev or 0.0


def _alarm(signum, frame):
    raise _Overrun()


PATTERNS = collect_patterns()


@pytest.mark.parametrize("key", list(PATTERNS), ids=[PATTERNS[k] for k in PATTERNS])
def test_regex_time_grows_linearly(key):
    source, flags = key
    if source in ALLOWED:
        pytest.skip(ALLOWED[source])
    p = re.compile(source, flags)
    worst = (0.0, None)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(ALARM)
    try:
        for pump, pre, make in adversarial_lines(p):
            ratio, n, t = growth(p, make)
            if ratio > SUPERLINEAR:  # measure both sizes once more before calling it
                ratio = min(ratio, _cpu(p, make(n), 3) / max(_cpu(p, make(n // 4), 3), 1e-9))
            if ratio > worst[0]:
                worst = (ratio, (pump, pre[:40], n, t))
    except _Overrun:
        pytest.fail(f"{PATTERNS[key]}: no result within {ALARM} s (exponential backtracking?) on {pump!r}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert worst[0] <= SUPERLINEAR, f"{PATTERNS[key]} {source!r}: time ×{worst[0]:.1f} for ×4 input, at {worst[1]}"


# ---------------------------------------------------------------------------
# 3. The whole parse on a long adversarial line

LINES = ["- ", " ", ". ", "(", "1.1.1 ", "kính gửi ", "Số: 1/", "Căn cứ ", ", ", ": ", "Nơi nhận: - A; ",
         "KT. GIÁM ĐỐC, "]


@pytest.mark.parametrize("pump", LINES)
def test_parse_of_a_long_line_grows_linearly(pump):
    pipeline.parse_text("warm up")
    gc.collect()

    def cpu(n: int) -> float:
        s = "Về việc " + pump * (n // len(pump)) + " x"
        best = float("inf")
        for _ in range(2):
            with _no_gc():
                t0 = time.thread_time()
                pipeline.parse_text(s)
                best = min(best, time.thread_time() - t0)
        return best

    t1, t2 = cpu(10_000), cpu(40_000)
    assert t2 / t1 <= SUPERLINEAR, f"parse of {pump!r} × n: ×{t2 / t1:.1f} for ×4 input ({t1:.3f} s → {t2:.3f} s)"


def test_the_check_tells_quadratic_from_linear():
    """The measuring itself: a trailing-run pattern is caught, its anchored
    form passes, an exponential one is stopped by the alarm."""
    def worst(source: str) -> float:
        p = re.compile(source)
        return max(growth(p, make)[0] for _, _, make in adversarial_lines(p))
    assert worst(r"[\s.:,]+$") > SUPERLINEAR
    assert worst(r"\s*kinh") > SUPERLINEAR
    assert worst(r"(?<![\s.:,])[\s.:,]+$") <= SUPERLINEAR
    assert worst(r"(?<!\s)\s*kinh") <= SUPERLINEAR
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(2)
    try:
        with pytest.raises(_Overrun):
            re.match(r"(a|aa)+$", "a" * 60 + "!")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
