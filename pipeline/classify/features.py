"""Features for the area classifier, taken from the parsed record.

A document is cut into *blocks* that tell different things about its field:

* ``title``  – the trích yếu (``Về việc giao đất cho…``);
* ``issuer`` – issuer, the body above it and the document type (a Sở Y tế
  writes about health, a Cục Hải quan about imports);
* ``bases``  – the legal bases (``Căn cứ Luật Đất đai…``) and the proposer;
* ``refs``   – names and subjects of the documents cited in the text;
* ``body``   – the text between the preamble and the signature.

Each block has its own vocabulary of syllable n-grams (Vietnamese writes one
syllable per space-separated token, so syllable bigrams cover most two-syllable
words), its own IDF and its own L2 normalisation; blocks are then weighted and
put side by side, so "giáo dục" in a title and "giáo dục" in a body are
different features.

Why this is hand-written rather than ``sklearn.feature_extraction.text``:
``TfidfVectorizer.transform`` costs 2–8 ms for one 6,000-character document
(per-call validation and sparse-matrix assembly), more than the whole parse;
the budget for classification is a fifth of the parse.  The code below does the
same computation (lower-casing, ``\\w+`` tokens, n-grams, sublinear TF, smoothed
IDF as scikit-learn defines it, L2 norm) in about a tenth of the time, and the
same code builds the training matrix, so training and inference cannot drift
apart.  Item texts of one document are vectorised in one batch.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

import numpy as np
import scipy.sparse as sp

from ..normalize import tone_key

BLOCKS = ("title", "issuer", "bases", "refs", "body")

_TOKEN = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")


_NORM: dict[str, str] = {}


def _norm(tok: str) -> str:
    n = _NORM.get(tok)
    if n is None:
        n = _DIGITS.sub("0", tone_key(tok))
        if len(_NORM) < 500_000:
            _NORM[tok] = n
    return n


def tokens(text: str) -> list[str]:
    """Lower-cased syllables with old/new tone placement made equal and digits
    collapsed (``2024`` → ``0000``: years and numbers say nothing about a field).
    Each distinct token is normalised once per process (a dictionary), which
    is what keeps this cheap."""
    if not text:
        return []
    return [_norm(t) for t in _TOKEN.findall(text.lower())]


def ngrams(toks: Sequence[str], n_max: int) -> list[str]:
    out = list(toks)
    if n_max >= 2:
        out.extend([a + " " + b for a, b in zip(toks, toks[1:])])
    if n_max >= 3:
        out.extend([a + " " + b + " " + c for a, b, c in zip(toks, toks[1:], toks[2:])])
    for n in range(4, n_max + 1):
        out.extend(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
    return out


# ---------------------------------------------------------------------------
# From a record to block texts

def _span_end(rec, name: str) -> Optional[int]:
    p = rec.provenance.get(name)
    return p.span[1] if p is not None and p.span else None


def body_text(rec) -> str:
    """The text between the preamble (legal bases, else title) and the
    signature block; the whole text when the record says nothing of either."""
    text = rec.text or ""
    start = _span_end(rec, "legal_bases") or _span_end(rec, "title") or 0
    sig = rec.provenance.get("signers")
    end = sig.span[0] if sig is not None and sig.span and sig.span[0] > start else len(text)
    return text[start:end]


def record_blocks(rec) -> dict[str, str]:
    """The block texts of a parsed :class:`~pipeline.record.Record`."""
    bases = []
    for lb in rec.legal_bases:
        bases.append(lb.text)
        if lb.proposer:
            bases.append(lb.proposer)
    refs = []
    for r in rec.references:
        refs.append(" ".join(x for x in (r.doc_type, r.name, r.subject) if x))
    return {
        "title": rec.title or "",
        "issuer": " ".join(x for x in (rec.issuer, rec.issuer_parent, rec.doc_type) if x),
        "bases": "\n".join(bases),
        "refs": "\n".join(refs),
        "body": body_text(rec),
    }


def subtree_text(item) -> str:
    parts = [item.text]
    for ch in item.children:
        parts.append(subtree_text(ch))
    return "\n".join(parts)


def item_blocks(item) -> dict[str, str]:
    """An item is read as a small body: its own text and its sub-items."""
    return {"body": subtree_text(item)}


# ---------------------------------------------------------------------------
# One block's vectoriser

@dataclass
class BlockVectorizer:
    """TF-IDF over syllable n-grams of one block (scikit-learn's definitions:
    ``sublinear_tf``, ``smooth_idf``, ``norm='l2'``), scaled by ``weight``."""

    name: str
    n_max: int = 2
    weight: float = 1.0
    terms: list[str] = field(default_factory=list)
    idf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    index: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def fit(cls, name: str, texts: Iterable[str], *, n_max: int = 2, min_df: int = 2,
            max_features: Optional[int] = None, weight: float = 1.0) -> "BlockVectorizer":
        df: Counter = Counter()
        n = 0
        for t in texts:
            n += 1
            df.update(set(ngrams(tokens(t), n_max)))
        kept = [(c, term) for term, c in df.items() if c >= min_df]
        kept.sort(key=lambda x: (-x[0], x[1]))
        if max_features:
            kept = kept[:max_features]
        terms = sorted(term for _, term in kept)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64)
        v = cls(name=name, n_max=n_max, weight=weight, terms=terms, idf=idf)
        v.index = {t: i for i, t in enumerate(terms)}
        return v

    @classmethod
    def restore(cls, state: dict) -> "BlockVectorizer":
        terms = state["terms"].split("\n") if state["terms"] else []
        v = cls(name=state["name"], n_max=int(state["n_max"]), weight=float(state["weight"]),
                terms=terms, idf=np.asarray(state["idf"], dtype=np.float64))
        v.index = {t: i for i, t in enumerate(terms)}
        return v

    def state(self) -> dict:
        return {"name": self.name, "n_max": self.n_max, "weight": self.weight,
                "terms": "\n".join(self.terms), "idf": self.idf}

    def __len__(self) -> int:
        return len(self.terms)


class Featurizer:
    """The blocks side by side: one sparse row per document (or item).

    All blocks share one table of syllable ids (≥ 1; 0 = unknown) and every
    term gets an integer key, ``block · B³ + ((a·B + b)·B + c)`` with ``B`` =
    syllables + 1, so that the n-grams of all the texts of a document and of
    its items are looked up with one ``searchsorted`` and weighted with a few
    array operations: the only Python-level loop is one dictionary probe per
    syllable."""

    def __init__(self, blocks: Sequence[BlockVectorizer]):
        self.blocks = list(blocks)
        self.block_no = {b.name: i for i, b in enumerate(self.blocks)}
        self.offsets = {}
        off = 0
        for b in self.blocks:
            self.offsets[b.name] = off
            off += len(b)
        self.n_features = off
        self.n_max = max((b.n_max for b in self.blocks), default=1)
        if self.n_max > 3:
            raise ValueError("n-grams of up to 3 syllables")
        syl: dict[str, int] = {}
        split = [[t.split(" ") for t in b.terms] for b in self.blocks]
        for terms in split:
            for parts in terms:
                for x in parts:
                    if x not in syl:
                        syl[x] = len(syl) + 1
        self._syl = syl
        self._raw_ids: dict[str, int] = {}
        self._base = B = len(syl) + 1
        self._span = B ** 3
        keys = np.zeros(self.n_features, dtype=np.int64)
        i = 0
        for bi, terms in enumerate(split):
            for parts in terms:
                k = 0
                for x in parts:
                    k = k * B + syl[x]
                keys[i] = bi * self._span + k
                i += 1
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._cols = order.astype(np.int64)
        self.idf = np.concatenate([b.idf for b in self.blocks]) if self.blocks else np.zeros(0)
        self.col_block = np.repeat(np.arange(len(self.blocks)), [len(b) for b in self.blocks])
        self.block_weight = np.array([b.weight for b in self.blocks], dtype=np.float64)

    def _raw_id(self, tok: str) -> int:
        """The syllable id of a raw lower-cased token (see :func:`tokens`), remembered."""
        i = self._syl.get(_norm(tok), 0)
        if len(self._raw_ids) < 500_000:
            self._raw_ids[tok] = i
        return i

    # -- n-gram hits -------------------------------------------------------
    def hits(self, segments: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        """(segment number, column) of every n-gram of the segments that the
        vocabulary knows; a segment is (text, block number)."""
        ids: list[int] = []
        owner: list[int] = []
        blk: list[int] = []
        raw = self._raw_ids
        for s, (text, b) in enumerate(segments):
            toks = _TOKEN.findall(text.lower()) if text else []
            got = list(map(raw.get, toks))  # raw token → syllable id, one probe each
            if None in got:
                got = [self._raw_id(t) if g is None else g for t, g in zip(toks, got)]
            ids.extend(got)
            ids.append(0)  # no n-gram across two segments
            owner.extend([s] * (len(toks) + 1))
            blk.extend([b] * (len(toks) + 1))
        a = np.asarray(ids, dtype=np.int64)
        own = np.asarray(owner, dtype=np.int64)
        base = np.asarray(blk, dtype=np.int64) * self._span
        B = self._base
        ok = a > 0
        keys, segs = [(base + a)[ok]], [own[ok]]
        if self.n_max >= 2 and len(a) > 1:
            ok2 = ok[:-1] & ok[1:]
            keys.append((base[:-1] + a[:-1] * B + a[1:])[ok2])
            segs.append(own[:-1][ok2])
            if self.n_max >= 3 and len(a) > 2:
                ok3 = ok2[:-1] & ok[2:]
                keys.append((base[:-2] + (a[:-2] * B + a[1:-1]) * B + a[2:])[ok3])
                segs.append(own[:-2][ok3])
        k = np.concatenate(keys)
        sg = np.concatenate(segs)
        if not len(self._keys) or not len(k):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self._keys, k)
        pos[pos == len(self._keys)] = 0
        hit = self._keys[pos] == k
        return sg[hit], self._cols[pos[hit]]

    def tfidf(self, rows: np.ndarray, cols: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) sorted by row then column: sublinear TF × IDF,
        L2-normalised within each block of each row, times the block weight."""
        F = max(self.n_features, 1)
        u, tf = np.unique(rows * F + cols, return_counts=True)
        r, c = u // F, u % F
        val = (np.log(tf) + 1.0) * self.idf[c]
        nb = max(len(self.blocks), 1)
        cb = self.col_block[c]
        g = r * nb + cb
        sq = np.bincount(g, weights=val * val, minlength=n_rows * nb)
        val *= self.block_weight[cb] / np.sqrt(sq[g])
        return r, c, val

    # -- documents ---------------------------------------------------------
    def segments(self, docs: Sequence[dict[str, str]]) -> tuple[list[tuple[str, int]], np.ndarray]:
        segs: list[tuple[str, int]] = []
        row: list[int] = []
        for i, d in enumerate(docs):
            for b in self.blocks:
                t = d.get(b.name)
                if t:
                    segs.append((t, self.block_no[b.name]))
                    row.append(i)
        return segs, np.asarray(row, dtype=np.int64)

    def rows(self, docs: Sequence[dict[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR parts (indptr, indices, data) for block-text dicts."""
        segs, seg_row = self.segments(docs)
        s, c = self.hits(segs)
        r, c, v = self.tfidf(seg_row[s] if len(s) else s, c, len(docs))
        indptr = np.searchsorted(r, np.arange(len(docs) + 1))
        return indptr.astype(np.int64), c, v

    def matrix(self, docs: Sequence[dict[str, str]]) -> sp.csr_matrix:
        indptr, indices, data = self.rows(docs)
        return sp.csr_matrix((data, indices, indptr), shape=(len(docs), self.n_features))

    # -- a document and its items --------------------------------------------
    def document_and_items(self, blocks: dict[str, str], items) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Rows for a document (row 0) and every node of its item tree (rows
        1…, pre-order).  A node is read as a small body, its own text plus its
        sub-items (:func:`item_blocks`, without n-grams across node
        boundaries): each node's text is looked up once and its hits are
        credited to the node and all its ancestors.  Returns CSR parts and the
        number of rows."""
        segs, seg_row = self.segments([blocks])
        n_doc = len(segs)
        body = self.block_no.get("body")
        anc: list[list[int]] = []
        if body is not None:
            stack: list[int] = []

            def walk(it, depth: int) -> None:
                del stack[depth:]
                j = len(anc)
                stack.append(j)
                anc.append(list(stack))
                segs.append((it.text, body))
                for ch in it.children:
                    walk(ch, depth + 1)

            for it in items:
                walk(it, 0)
        n_rows = 1 + len(anc)
        s, c = self.hits(segs)
        doc = s < n_doc
        rows = [seg_row[s[doc]]]
        cols = [c[doc]]
        if anc:
            node = s[~doc] - n_doc
            ci = c[~doc]
            n_anc = np.array([len(x) for x in anc], dtype=np.int64)
            flat = np.array([a for x in anc for a in x], dtype=np.int64)
            ptr = np.concatenate([[0], np.cumsum(n_anc)[:-1]])
            reps = n_anc[node]
            idx = np.repeat(np.arange(len(node)), reps)
            within = np.arange(len(idx)) - np.repeat(np.cumsum(reps) - reps, reps)
            rows.append(1 + flat[ptr[node[idx]] + within])
            cols.append(ci[idx])
        r, c, v = self.tfidf(np.concatenate(rows), np.concatenate(cols), n_rows)
        indptr = np.searchsorted(r, np.arange(n_rows + 1))
        return indptr.astype(np.int64), c, v, n_rows
