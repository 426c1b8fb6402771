"""Regular expressions built from word lists, shaped for Python's regex engine: tries and word-start branches.

The engine tries the alternatives of a plain «a|b|c» one by one at every position it tests; the shapes here
let it try one branch per character instead (a list of a thousand word forms costs about as much as ten)."""
from __future__ import annotations

import re


def trie(words) -> str:
    """A regex that matches exactly the given words, as a trie: «м(?:илли(?:ард|он)|лн)».

    Python's regex engine tries the alternatives of a plain «миллиард|миллион|млн|...» one by one
    at every position it tests; a trie tries one branch per character."""
    branches = trie_branches(words)
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def word_start_branches(words) -> list[str]:
    """The words as branches by first letter, each matched only where a word starts: «\\b» is tested
    after the whole word («ты(?<!\\wты)»), so that the engine scans for first letters and tests a word's
    start only where the word stands (not at every «т», nor in every «работы» by Python)."""
    by_first: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        by_first.setdefault(w[0], []).append(w)
    return [re.escape(c) + "(?:" + "|".join(re.escape(w[1:]) + rf"(?<!\w{re.escape(w)})" for w in ws) + ")"
            for c, ws in sorted(by_first.items())]


def trie_branches(words) -> list[str]:
    """The trie of the words as its branches by first character: «м(?:илли(?:ард|он)|лн)», «раз»..."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return [re.escape(ch) + emit(child) for ch, child in sorted(root.items())]
