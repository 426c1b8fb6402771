"""Free-text search in sentences: every word typed must occur in the sentence, in any order, where a
word occurs when it is
- inside one of the sentence's words ("оборот" finds "товарооборот", "Кита" finds "Китай"), or
- one of the sentence's words is a form of it ("Китай" finds "Китаем", "объём" finds "объема").
Case and ё/е are folded on both sides ("объем" finds "объём"; news write either).

Forms come from the query side: pymorphy3 turns each typed word into every form of each of its likely
lemmas (its lexemes), so the sentences need no lemmatised copy; a sentence word that is a form of the
query's lemma has that lemma. Words the dictionary does not know match as typed only.

Two ways to the same answer: a scan in DuckDB (`queries.search_scan`), always available, and an inverted
index of the sentences' folded words, built once per database version in the background, which answers
in a few milliseconds at a million claims. A typed word occurs in a sentence exactly when it occurs
inside one of the sentence's words, since it holds no separator, and both split sentences into words
alike (`queries.WORD_SPLIT`); so both give the same rows."""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl import morph

_TOKEN = re.compile(r"[^\W_]+")
_LIKELY = 0.1  # a reading of a typed word less likely than this ("объем" as a form of «объесть») is no lemma of it


def fold(text: str) -> str:
    """Lower case, ё as е: the form both the query and the sentences are compared in."""
    return text.lower().replace("ё", "е")


def tokens(query: str) -> list[str]:
    """The words of a search query, folded, duplicates dropped; punctuation only separates."""
    return list(dict.fromkeys(_TOKEN.findall(fold(query))))


@lru_cache(maxsize=4096)
def forms(token: str) -> tuple[str, ...]:
    """Every form (folded) of every likely lemma of a query word, itself included; the word alone when
    the dictionary does not know it (a stem such as "товарооб", a code such as "usd")."""
    parses = [p for p in morph.analyzer().parse(token) if p.is_known and p.score >= _LIKELY]
    found = {fold(f.word) for p in parses for f in p.lexeme}
    return tuple(sorted(found | {token}))


def matches(sentence: str, token: str) -> bool:
    """The plain-Python statement of the rule (for tests and reading): the token inside the folded
    sentence, or one of the sentence's words a form of it."""
    text = fold(sentence)
    return token in text or not set(forms(token)).isdisjoint(_TOKEN.findall(text))


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
        """Boolean mask over the snapshot: claims whose sentence holds every token (`tokens`)."""
        out = np.ones(self.n, dtype=bool)
        for tok in query_tokens:
            hit = pc.or_(pc.match_substring(self.words, tok), pc.is_in(self.words, value_set=pa.array(forms(tok))))
            words = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
            one = np.zeros(self.n, dtype=bool)
            for w in words.tolist():
                one[self._postings[self._offsets[w]:self._offsets[w + 1]]] = True
            out &= one
        return out


def mask_of(positions: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[positions] = True
    return out
