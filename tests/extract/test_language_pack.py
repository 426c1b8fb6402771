"""The language pack: every Russian word the extractor's code reads is in etl/lexicon/, each table is
checked on load (an error names the file and the key), and the code spells no Russian word."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from etl import lexicon

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tables(tmp_path, monkeypatch) -> Path:
    """A copy of the tables the lexicon is built from, to break."""
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon.LEXICON_DIR, folder)
    monkeypatch.setattr(lexicon, "LEXICON_DIR", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fails(match: str) -> None:
    with pytest.raises(lexicon.LexiconError, match=match):
        lexicon.build()


# --- calendar.toml -------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, error", [
    ('kind = "year_earlier"', 'kind = "decade"', r"calendar\.toml: patterns\[\d+\] \(decade\): unknown kind"),
    ('kind = "year_earlier"', 'kind = "year"', r"calendar\.toml: no pattern of the kind\(s\) year_earlier"),
    ("regex = '{b}годом\\s+ранее'", "regex = '{b}годом\\s+(ранее'",
     r"calendar\.toml: patterns\[\d+\] \(year_earlier\) is not a regex"),
    ("regex = '{b}годом\\s+ранее'", "regex = '{b}Годом\\s+ранее'",
     r"calendar\.toml: patterns\[\d+\] \(year_earlier\) must be in lower case"),
    ("regex = '{b}годом\\s+ранее'", "regex = 'годом\\s+ранее'",
     r"calendar\.toml: patterns\[\d+\] \(year_earlier\) must start with the word-start test"),
    ("regex = '{b}годом\\s+ранее'", "regex = '{b}{YEAR}\\s+ранее'",
     r"calendar\.toml: patterns\[\d+\] \(year_earlier\) names no piece \{YEAR\}"),
    ('kind = "year_earlier"', 'kind = "year_earlier"\nflags = "i"', r"calendar\.toml: patterns\[\d+\] \(year_earlier\) unknown flags"),
    ('year_earlier = ["ранее"]', 'year_before = ["ранее"]', r"calendar\.toml: \[needs\] missing year_earlier; unknown year_before"),
    ("since = '(?:", "since = '(?:(", r"calendar\.toml: \[roles\] since is not a regex"),
    ("than = '", "then = '", r"calendar\.toml: \[roles\] missing than; unknown then"),
    ('"вчера" = 1', '"вчера" = "1"', r"calendar\.toml: \[day_offsets\] вчера: each must be"),
    ("YSUF = '(?:", "YSUF = '(?:(", r"calendar\.toml: \[pieces\] YSUF is not a regex"),
    ('halves = ["перв", "втор"]', 'halves = ["перв"]', r"calendar\.toml: halves must name two stems"),
    ('months = [', 'month = [', r"calendar\.toml: missing months; unknown month"),
    ('"ма[яей]"', '"ма(я|е)"', r"calendar\.toml: day_months ма\(я\|е\): a stem is letters"),
    ('"сентябр", "октябр"', '"сентябр[", "октябр"', r"calendar\.toml: months\[8\] is not a regex"),
])
def test_calendar_is_checked_on_load_naming_the_file_and_key(tables, old, new, error):
    _edit(tables / "calendar.toml", old, new)
    _fails(error)


def test_the_calendar_keeps_the_order_of_its_patterns(lex):
    kinds = [k for k, _ in lex.calendar.patterns]
    assert kinds[:3] == ["month_range", "quarter", "half"] and kinds[-1] == "year_earlier"
    assert set(kinds) == set(lexicon.TIME_KINDS) and set(lex.calendar.needs) == set(lexicon.TIME_KINDS)
    assert not any(re.search(r"\{[A-Za-z_]", p) for _, p in lex.calendar.patterns)  # every piece filled


def test_the_tables_regexes_are_compiled_once_per_lexicon(lex):
    from etl import periods, text

    assert periods._calendar() is periods._calendar(lex) is periods._calendar(lex)
    assert text._clause_breaks(lex) is text._clause_breaks(lex)


# --- sides.toml ----------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, error", [
    ('coordinators = ["и", "или"]', 'coordinators = ["и", "или"]\nconjunctions = ["и"]', r"sides\.toml: unknown conjunctions"),
    ('coordinators = ["и", "или"]', '', r"sides\.toml: missing coordinators"),
    ('ours_lemmas = ["наш"]', 'ours_lemmas = []', r"sides\.toml: ours_lemmas must be non-empty lists of words"),
    ('ours_lemmas = ["наш"]', 'ours_lemmas = "наш"', r"sides\.toml: ours_lemmas must be"),
])
def test_side_words_are_checked_on_load_naming_the_file(tables, old, new, error):
    _edit(tables / "sides.toml", old, new)
    _fails(error)


def test_the_side_words_are_read_from_the_lexicon_given(lex):
    import dataclasses

    from etl.countries import find_mentions
    from etl.numbers import tokenize

    toks = tokenize("товарооборот двух стран", 0)
    assert [(m.kind, m.first, m.last) for m in find_mentions(toks, lex)] == [("generic", 1, 2)]
    other = dataclasses.replace(lex, sides=dataclasses.replace(lex.sides, pair_quantifier_lemmas=frozenset({"три"})))
    assert [m.kind for m in find_mentions(toks, other)] == []


# --- text.toml -----------------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, error", [
    ('dash_clause_breaks = ["а"]', 'dash_clause_breaks = ["а"]\nclause_words = ["но"]', r"text\.toml: unknown clause_words"),
    ('dash_clause_breaks = ["а"]', '', r"text\.toml: missing dash_clause_breaks"),
    ('dash_clause_breaks = ["а"]', 'dash_clause_breaks = []', r"text\.toml: dash_clause_breaks must be a non-empty list"),
    ('"так что"', '"так|что"', r"text\.toml: clause_breaks: 'так\|что' must be letters and single spaces"),
    ('"долл" = ["США", "сша"]', '"долл" = "США"', r"text\.toml: continued_abbreviations\.долл must be"),
])
def test_text_rules_are_checked_on_load_naming_the_file(tables, old, new, error):
    _edit(tables / "text.toml", old, new)
    _fails(error)


def test_sentences_and_clauses_are_split_by_the_lexicon_given(lex):
    import dataclasses

    from etl.text import Sentences, clause_bounds

    s = "Рост составил 5%, но импорт упал — а экспорт вырос"
    assert len(clause_bounds(s, lex)) == 3 and clause_bounds(s) == clause_bounds(s, lex)
    rules = dataclasses.replace(lex.text, clause_breaks=("однако",), dash_clause_breaks=("и",))
    assert clause_bounds(s, dataclasses.replace(lex, text=rules)) == [(0, len(s))]
    text = "Переговоры прошли на улице им. Ленина. Стороны обсудили торговлю."
    assert len(Sentences(text, lex=lex)) == 2 and len(Sentences(text)) == 2
    no_abbreviations = dataclasses.replace(lex, text=dataclasses.replace(lex.text, abbreviations=frozenset()))
    assert len(Sentences(text, lex=no_abbreviations)) == 3
    assert len(Sentences("Цена 3 млрд долл. США выросла.", lex=lex)) == 1


def test_splitting_text_reads_no_file_at_import():
    import subprocess
    import sys

    code = ("import builtins, io; seen = []; real = io.open\n"
            "def spy(f, *a, **k): seen.append(str(f)); return real(f, *a, **k)\n"
            "builtins.open = io.open = spy\n"
            "import etl.text, etl.periods, sys; print([f for f in seen if 'lexicon' in f], 'etl.lexicon' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] False"


# --- numerals.toml [figure_words], speech.toml, declension.toml, text.toml warm_up ----------------

@pytest.mark.parametrize("name, old, new, error", [
    ("numerals.toml", 'range_end = ["до"]', 'range_end = ["до"]\nrange_stop = ["по"]',
     r"numerals\.toml: \[figure_words\] unknown range_stop"),
    ("numerals.toml", 'range_end = ["до"]', 'range_end = []', r"numerals\.toml: \[figure_words\] range_end must be"),
    ("numerals.toml", 'and_a_half = ["с", "половиной"]', 'and_a_half = ["с половиной"]',
     r"numerals\.toml: \[figure_words\] and_a_half must be two words"),
    ("numerals.toml", '[figure_words]', '[figures]', r"numerals\.toml: no \[figure_words\] table"),
    ("speech.toml", 'pronouns = ["он", "она", "они"]', 'pronoun = ["он"]', r"speech\.toml: missing pronouns; unknown pronoun"),
    ("speech.toml", 'pronouns = ["он", "она", "они"]', 'pronouns = [""]', r"speech\.toml: pronouns must be"),
    ("declension.toml", 'hard_consonants = "', 'hard_consonant = "', r"declension\.toml: missing hard_consonants; unknown hard_consonant"),
    ("declension.toml", 'hard_consonants = "', 'hard_consonants = "1', r"declension\.toml: hard_consonants must be"),
    ("declension.toml", '\nsurname_endings = ["", "а"', '\nsurname_endings = ["", "-а"', r"declension\.toml: surname_endings must be"),
    ("text.toml", 'warm_up = "', 'warm_up = " "\nx = "', r"text\.toml: unknown x"),
    ("text.toml", 'warm_up = "Товарооборот России и Казахстана вырос на 5%."', 'warm_up = ""', r"text\.toml: warm_up must be"),
])
def test_the_other_tables_are_checked_on_load_naming_the_file(tables, name, old, new, error):
    _edit(tables / name, old, new)
    _fails(error)


def test_the_declension_table_makes_the_surname_and_currency_forms(lex):
    forms = {f for e in lex.names_by_first["токаев"] if e.kind == "leader" for f in e.words[0]}
    assert {"токаев", "токаевым", "токаевой"} <= forms
    assert lex.currency_word_forms.get("драмами") == lex.currency_word_forms.get("драм") is not None


# --- the code spells no Russian word -------------------------------------------------------------

# Modules left out, and why: their Russian words are not the extractor's to move here.
NOT_CHECKED = {
    "vocabulary.py": "the contract's bilingual labels for the dashboard, not words the rules read (and a label "
                     "must not change the extractor's version, which every lexicon table does)",
    "morph.py": "«ё» read as «е» in pymorphy3's lemmas: a letter of the alphabet, not a word",
}
# Letters, not words: the ranges of a regex class («[A-ZА-ЯЁ0-9]», «[а-яёa-z]»)
_ALPHABET_IN_CLASS = re.compile(r"А-Я|а-я|Ё|ё")


def _russian_strings(path: Path) -> list[str]:
    """The string constants of a module with a Russian letter, but docstrings, rule names
    («comparator.bound-до») and the arguments of Rule(...), which describe a rule to a reader."""
    import ast

    from etl.rules import FIELDS

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module))
                  and ast.get_docstring(n)}
    described = {id(x) for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Rule"
                 for a in [*n.args, *(k.value for k in n.keywords)] for x in ast.walk(a)}
    rule_names = tuple(f"{f}." for f in FIELDS)
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings | described \
                and not n.value.startswith(rule_names):
            bare = re.sub(r"\[[^\]]*\]", lambda m: _ALPHABET_IN_CLASS.sub("", m[0]), n.value)
            if re.search("[а-яёА-ЯЁ]", bare):
                out.append(n.value)
    return out


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "etl").glob("*.py") if p.name not in NOT_CHECKED))
def test_the_code_spells_no_russian_word_outside_comments_and_docstrings(module):
    """Every Russian word the code reads comes from etl/lexicon/ (comments and docstrings may show examples)."""
    assert _russian_strings(ROOT / "etl" / module) == []


def test_the_check_finds_a_russian_word(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Пример."""\nX = "[А-ЯЁ]"  # слово\nY = ("в", "во")\nZ = rf"[а-яё]+{X}год"\n'
                      'R = Rule("period.x", "описание", en="d")\nN = "period.с-начала"\n', encoding="utf-8")
    assert _russian_strings(sample) == ["в", "во", "год"]
