"""Free-text search in sentences: every word typed must occur in the sentence, in any case and order,
also inside a longer word ("оборот" finds "товарооборот").

Two ways to the same answer: a scan in DuckDB (`queries.search_scan`), always available, and an inverted
index of the sentences' words, built once per database version in the background, which answers in a
few milliseconds at a million claims. A typed word occurs in a sentence exactly when it occurs inside one
of the sentence's words, since it holds no separator; so both give the same rows."""
from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_TOKEN = re.compile(r"[^\W_]+")


def tokens(query: str) -> list[str]:
    """The words of a search query, lower-cased, duplicates dropped; punctuation only separates."""
    return list(dict.fromkeys(_TOKEN.findall(query.lower())))


class WordIndex:
    """Word -> positions (in a ClaimIndex) of the claims whose sentence contains it."""

    def __init__(self, vocabulary: pa.Table, n: int) -> None:
        """`vocabulary`: columns word, positions (list of snapshot positions); `n`: the snapshot's size."""
        self.n = n
        if vocabulary.num_rows == 0:
            self.words = pa.array([], pa.string())
            self._offsets = np.zeros(1, np.int64)
            self._postings = np.zeros(0, np.int32)
            return
        self.words = vocabulary.column("word").combine_chunks()
        lists = vocabulary.column("positions").combine_chunks()
        self._offsets = lists.offsets.to_numpy().astype(np.int64)
        self._postings = lists.values.to_numpy().astype(np.int32)  # 4 bytes a posting: ~50 MB at 1M claims

    def hits(self, query_tokens: list[str]) -> np.ndarray:
        """Boolean mask over the snapshot: claims whose sentence holds every token."""
        out = np.ones(self.n, dtype=bool)
        for tok in query_tokens:
            words = np.flatnonzero(pc.match_substring(self.words, tok).to_numpy(zero_copy_only=False))
            one = np.zeros(self.n, dtype=bool)
            for w in words.tolist():
                one[self._postings[self._offsets[w]:self._offsets[w + 1]]] = True
            out &= one
        return out


def mask_of(positions: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[positions] = True
    return out
