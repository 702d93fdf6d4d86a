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
IDF as scikit-learn defines it, L2 norm) in a small fraction of the time; the
training matrix is built from the same vocabulary tables, tokens and TF-IDF
code, and tests check that the one-pass rows below equal the plain ones, so
training and inference cannot drift apart.  A document and all its items are vectorised in one pass
(:meth:`Featurizer.document_and_items`): the text is cut at white space and
each chunk looked up once in a cache of its syllable ids packed as bytes (one
``bytes.join`` per text, no Python integer per token), the body is tokenised
once and cut at the item texts, every n-gram is looked up once in a table
shared by the blocks (a dense array indexed by the syllable pair when the
model has no trigrams: one gather instead of a binary search), and the
document and item rows come out of one count.  Classification runs right
after the parse, whose Python code has pushed NumPy's out of the CPU caches,
so the cost is mostly the number of NumPy calls and cache misses, not
arithmetic: the code keeps both few (``benchmarks/bench_classify.py``).
Tried and not kept, no gain measured after a parse (same numbers, thread
CPU time, interleaved runs): one dense table per block giving the column
directly (8 MB instead of 1.6 MB: one gather fewer, more cache misses); the
binary-search look-up instead of the dense one (slower by ~10 %); a cache of
``\\w+`` tokens after ``findall`` instead of the white-space chunks (3–4×
slower to build the ids).  Where the time goes on a document with items
(dev corpus Markdown, after a parse): building the ids ~45 %, the one
``tfidf`` sort ~20 %, the rest a few NumPy calls each.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from itertools import chain
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
    """An item is read as a small document: its own text is the title (an
    item reads like a trích yếu: "Trao đổi kinh nghiệm trong việc tham mưu…"),
    its text and its sub-items the body."""
    return {"title": item.text, "body": subtree_text(item)}


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

    def subset(self, keep: np.ndarray) -> "BlockVectorizer":
        """The same vectoriser with only the terms at positions ``keep`` (their
        IDF unchanged; the L2 norm then runs over the kept terms)."""
        keep = np.sort(np.asarray(keep, dtype=np.int64))
        terms = [self.terms[i] for i in keep]
        v = BlockVectorizer(name=self.name, n_max=self.n_max, weight=self.weight, terms=terms, idf=self.idf[keep])
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
        self._raw_ids = _RawIds(syl)
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
        self._cols = order.astype(np.int32)  # small arrays: the look-ups are cache misses
        self.idf = np.concatenate([b.idf for b in self.blocks]) if self.blocks else np.zeros(0)
        self.col_block = np.repeat(np.arange(len(self.blocks), dtype=np.int8), [len(b) for b in self.blocks])
        self.block_weight = np.array([b.weight for b in self.blocks], dtype=np.float64)
        self._init_union(keys)

    def _init_union(self, keys: np.ndarray) -> None:
        """Tables for :meth:`document_and_items`: the distinct syllable keys of
        all blocks (a term's key without its block, ``(a·B + b)·B + c``), and
        ``_ucol[block, u]``, the column of the ``u``-th of them (counted
        from 1; 0 is "unknown") in each block (-1: not in that block; an
        extra last row for "no block" and column 0 are all -1), so that one
        look-up per n-gram serves every block.  When the n-grams are at most bigrams
        and the table fits in 4 M entries (the shipped model: ~900
        syllables, 0.8 M entries), the look-up is a dense table indexed by
        ``a·(B+1) + b`` (a unigram is ``a·(B+1) + B``; every slot with an
        unknown syllable, id 0, holds -1), one gather instead of a binary
        search per n-gram."""
        B, nb = self._base, len(self.blocks)
        skey = keys - self.col_block.astype(np.int64) * self._span
        self._ukeys, inv = np.unique(skey, return_inverse=True)
        self._ucol = np.full((nb + 1, len(self._ukeys) + 1), -1, dtype=np.int64)
        self._ucol[self.col_block, inv + 1] = np.arange(self.n_features)
        self._ucol_flat = self._ucol.ravel()  # a view: row b starts at b * (len(_ukeys) + 1)
        self._dense = None
        M = B + 1
        if self.n_max <= 2 and B * M <= 1 << 22:
            dense = np.zeros(B * M, dtype=np.int16 if len(self._ukeys) < (1 << 15) - 1 else np.int32)
            a, b = self._ukeys // B, self._ukeys % B
            dense[np.where(a > 0, a * M + b, b * M + B)] = np.arange(1, len(self._ukeys) + 1)
            self._dense = dense

    def _gram_union(self, ids: np.ndarray) -> np.ndarray:
        """The number (from 1) in the union table of every n-gram of ``ids``
        (0: unknown, or it holds an unknown syllable), unigrams first (one
        per token), then bigrams, then trigrams, as :meth:`_by_gram` lays
        out."""
        if self._dense is not None:  # keys < 4 M: 32-bit arithmetic is enough
            k = ids * (self._base + 1)
            if self.n_max >= 2:
                return self._dense[np.concatenate((k + self._base, k[:-1] + ids[1:]))]
            return self._dense[k + self._base]
        B = self._base
        ids = ids.astype(np.int64)
        ok = ids > 0
        keys, valid = [ids], [ok]
        if self.n_max >= 2:
            k2 = ids[:-1] * B + ids[1:]
            ok2 = ok[:-1] & ok[1:]
            keys.append(k2), valid.append(ok2)
            if self.n_max >= 3:
                keys.append(k2[:-1] * B + ids[2:]), valid.append(ok2[:-1] & ok[2:])
        k, ok = np.concatenate(keys), np.concatenate(valid)
        u = np.zeros(len(k), dtype=np.int64)
        if len(self._ukeys) and ok.any():
            kk = k[ok]
            pos = np.minimum(np.searchsorted(self._ukeys, kk), len(self._ukeys) - 1)
            u[np.flatnonzero(ok)] = np.where(self._ukeys[pos] == kk, pos + 1, 0)
        return u

    def _by_gram(self, x: np.ndarray, last: bool = False) -> np.ndarray:
        """A per-token array read at the first (``last``: the last) token of
        each n-gram, in the layout of :meth:`_gram_union`."""
        if self.n_max == 1:
            return x
        return np.concatenate([x[k:] if last else x[:len(x) - k] for k in range(self.n_max)])

    # -- tokens and n-gram hits ------------------------------------------------
    def _ids(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Syllable ids of the tokens of ``texts`` end to end, and the number
        of tokens of each text.  The text is cut at white space (``str.split``,
        a C loop) and each chunk (``tỉnh,``, ``(HĐND)``) is looked up in a
        dictionary that remembers the ids of its ``\\w+`` tokens as packed
        32-bit integers (:class:`_RawIds`): the regex and the normalisation
        run once per distinct chunk, not once per token, and the ids of a
        text are one ``bytes.join``, no Python integer per token.  Same tokens
        as :func:`tokens`, since no ``\\w+`` token contains white space."""
        parts = [self._packed(t) if t else b"" for t in texts]
        lens = np.array([len(x) >> 2 for x in parts], dtype=np.int64)
        return np.frombuffer(b"".join(parts), dtype=np.int32).astype(np.int64), lens

    def _packed(self, text: str) -> bytes:
        return b"".join(map(self._raw_ids.__getitem__, text.split()))

    def _grams(self, ids: np.ndarray, tok_run: np.ndarray, tok_block: np.ndarray,
               with_pos: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """The keys of every n-gram of known syllables that lies inside one run
        of tokens, and (``with_pos``) the position of its first token;
        slices and masks only, no gathers."""
        B = self._base
        base = tok_block * self._span
        ok = ids > 0
        keys = [(base + ids)[ok]]
        pos = [np.flatnonzero(ok)] if with_pos else []
        if self.n_max >= 2 and len(ids) > 1:
            ok2 = ok[:-1] & ok[1:] & (tok_run[:-1] == tok_run[1:])
            k2 = ids[:-1] * B
            k2 += ids[1:]
            k2 += base[:-1]
            keys.append(k2[ok2])
            if with_pos:
                pos.append(np.flatnonzero(ok2))
            if self.n_max >= 3 and len(ids) > 2:
                ok3 = ok2[:-1] & ok2[1:]
                k3 = (ids[:-2] * B + ids[1:-1]) * B
                k3 += ids[2:]
                k3 += base[:-2]
                keys.append(k3[ok3])
                if with_pos:
                    pos.append(np.flatnonzero(ok3))
        return np.concatenate(keys), (np.concatenate(pos) if with_pos else np.zeros(0, dtype=np.int64))

    def _lookup(self, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(which keys the vocabulary holds, their columns)."""
        if not len(self._keys) or not len(k):
            return np.zeros(len(k), dtype=bool), np.zeros(0, dtype=np.int64)
        pos = np.searchsorted(self._keys, k)
        np.minimum(pos, len(self._keys) - 1, out=pos)
        hit = self._keys[pos] == k
        return hit, self._cols[pos[hit]]

    def hits(self, segments: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray]:
        """(segment number, column) of every n-gram of the segments that the
        vocabulary knows; a segment is (text, block number), and no n-gram
        crosses two segments."""
        ids, lens = self._ids([t for t, _ in segments])
        seg = np.repeat(np.arange(len(segments), dtype=np.int64), lens)
        blk = np.repeat(np.array([b for _, b in segments], dtype=np.int64), lens)
        k, st = self._grams(ids, seg, blk)
        hit, cols = self._lookup(k)
        return seg[st[hit]], cols

    def tfidf(self, rows: np.ndarray, cols: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) sorted by row then column: sublinear TF × IDF,
        L2-normalised within each block of each row, times the block weight."""
        S = max(self.n_features - 1, 1).bit_length()  # (row, column) in one integer, column in the low bits
        key = np.sort((rows << S) | cols)  # np.unique(return_counts=True) without its overhead
        first = np.empty(len(key) + 1, dtype=bool)
        first[0] = first[-1] = True
        np.not_equal(key[1:], key[:-1], out=first[1:-1])
        at = np.flatnonzero(first)
        tf = np.diff(at)
        key = key[at[:-1]]
        r, c = key >> S, key & ((1 << S) - 1)
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
        1…, pre-order) as CSR parts (indptr, indices, data) and the number of
        rows, in one pass over the text.

        A node is read as a small document (:func:`item_blocks`): its own
        text as the title, its text plus its sub-items as the body, without
        n-grams across node boundaries.  The body is tokenised once: it is
        cut at the places where the item texts occur in it (in pre-order,
        each after the previous one, at word boundaries), and all the texts
        go into one stream of syllable ids, with an unknown id between texts
        so that no n-gram crosses two of them (the pieces of the body are not
        separated: the document row reads the body whole).  Every n-gram of
        the stream is looked up once in the table shared by the blocks
        (:meth:`_gram_union`); the document row takes the hits of its texts
        in their own blocks; a node takes the hits whose first and last
        tokens lie in its own piece, as body n-grams credited to the node and
        all its ancestors and as title n-grams credited to the node alone.
        An item whose text is not found verbatim in the body is put in the
        stream on its own, after the document's texts, in no block of the
        document row.  Then one :meth:`tfidf` for all the rows (a document
        without items: one ``bincount``, :meth:`_one_row`)."""
        packed = self._packed
        nb = len(self.blocks)
        chunks: list[bytes] = []  # packed syllable ids, end to end
        c_blk: list[int] = []     # block of each chunk for the document row, nb for none, times W
        c_node: list[int] = []    # item node of each chunk, -1 for none
        body_no = self.block_no.get("body")
        W = len(self._ukeys) + 1  # row length of _ucol
        for bno, b in enumerate(self.blocks):
            t = blocks.get(b.name)
            if bno != body_no and t:
                chunks += (packed(t), _SEP)
                c_blk += (bno * W, bno * W)
                c_node += (-1, -1)
        nodes: list = []
        parent: list[int] = []  # of each node, -1 for a top-level one
        if body_no is not None:
            def walk(its, up: int) -> None:
                for it in its:
                    parent.append(up)
                    nodes.append(it)
                    if it.children:
                        walk(it.children, len(nodes) - 1)

            walk(items, -1)
            body = blocks.get("body") or ""
            body_off = body_no * W
            alone: list[int] = []
            pos = 0
            n_body = len(body)
            for j, it in enumerate(nodes):
                t = it.text
                k = body.find(t, pos) if t else -1
                e = k + len(t)
                # found, and the cuts at k and e split no \w+ token
                if k < 0 or (k and _TWO_WORD_CHARS(body, k - 1)) or (e < n_body and _TWO_WORD_CHARS(body, e - 1)):
                    alone.append(j)
                    continue
                if k > pos:
                    chunks.append(packed(body[pos:k])), c_blk.append(body_off), c_node.append(-1)
                chunks.append(packed(t)), c_blk.append(body_off), c_node.append(j)
                pos = e
            if pos < len(body):
                chunks.append(packed(body[pos:])), c_blk.append(body_off), c_node.append(-1)
            for j in alone:
                chunks += (_SEP, packed(nodes[j].text))
                c_blk += (nb * W, nb * W)
                c_node += (-1, j)
        ids = np.frombuffer(b"".join(chunks), dtype=np.int32)
        lens = [len(x) >> 2 for x in chunks]
        u = self._gram_union(ids)
        col = self._ucol_flat[self._by_gram(np.repeat(c_blk, lens)) + u]
        cd = col[col >= 0]
        if not nodes:
            c0, v0 = self._one_row(cd)
            return np.array([0, len(c0)]), c0, v0, 1
        tok_node = np.repeat(c_node, lens)
        node = self._by_gram(tok_node)
        mine = node >= 0
        mine &= node == self._by_gram(tok_node, last=True)
        node, u = node[mine], u[mine]
        cb = self._ucol[body_no][u]
        ok = cb >= 0
        # a body hit counts for the node and each of its ancestors
        node += 1  # row numbers
        up, cb = node[ok], cb[ok]
        rows, cols = [np.zeros(len(cd), dtype=np.int64), up], [cd, cb]
        if max(parent) >= 0:
            par = np.array([-1] + parent, dtype=np.int64) + 1  # row → its parent's row, 0 for none
            up = par[up]
            while True:
                has = up > 0
                if not has.any():
                    break
                up, cb = up[has], cb[has]
                rows.append(up), cols.append(cb)
                up = par[up]
        title_no = self.block_no.get("title")
        if title_no is not None:
            ct = self._ucol[title_no][u]
            ok = ct >= 0
            rows.append(node[ok]), cols.append(ct[ok])
        n_rows = 1 + len(nodes)
        r, c, v = self.tfidf(np.concatenate(rows), np.concatenate(cols), n_rows)
        return np.searchsorted(r, np.arange(n_rows + 1)), c, v, n_rows

    def _one_row(self, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of one row from the column of every n-gram hit:
        the numbers :meth:`tfidf` gives, counted with one ``bincount`` over
        the small vocabulary instead of a sort."""
        if self.n_features > 1 << 16:
            _, c, val = self.tfidf(np.zeros(len(cols), dtype=np.int64), cols, 1)
            return c, val
        tf = np.bincount(cols, minlength=self.n_features)
        c = np.flatnonzero(tf)
        val = np.log(tf[c]) + 1.0
        val *= self.idf[c]
        cb = self.col_block[c]
        sq = np.bincount(cb, weights=val * val, minlength=len(self.blocks))
        val *= self.block_weight[cb] / np.sqrt(sq[cb])
        return c, val


_SEP = bytes(4)  # one unknown syllable: no n-gram crosses it


_TWO_WORD_CHARS = re.compile(r"\w\w").match  # (text, i): text[i] and text[i + 1] are both \w


class _RawIds(dict):
    """A white-space-free chunk of raw text → the syllable ids of its ``\\w+``
    tokens (0 = unknown) packed as native 32-bit integers, filled on first
    sight (lower-cased, normalised with :func:`_norm`); stops remembering at
    500,000 chunks."""

    def __init__(self, syl: dict[str, int]):
        super().__init__()
        self.syl = syl

    def __missing__(self, chunk: str) -> bytes:
        ids = array("i", [self.syl.get(_norm(t), 0) for t in _TOKEN.findall(chunk.lower())]).tobytes()
        if len(self) < 500_000:
            self[chunk] = ids
        return ids
