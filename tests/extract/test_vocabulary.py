"""One contract vocabulary: what the store's schema, the lexicon's tables, the scorer and the dashboard
name is exactly etl/vocabulary.py's."""
from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import pytest

from etl.rules import FIELDS

from etl import vocabulary as v
from etl.lexicon import LEXICON_DIR

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = (ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")


def _schema_comment(column: str) -> list[str]:
    line = next(x for x in SCHEMA.splitlines() if re.match(rf"\s+{column}\s", x))
    return [w.strip() for w in line.split("--", 1)[1].split("|")]


@pytest.mark.parametrize("column, values", [("indicator", v.INDICATORS), ("kind", v.KINDS),
                                            ("comparator", v.COMPARATORS), ("modality", v.MODALITIES)])
def test_the_schema_names_the_vocabulary(column, values):
    assert _schema_comment(column) == list(values)


def test_the_scorer_copy_knows_the_same_indicators():
    spec = importlib.util.spec_from_file_location("score", ROOT / "tests" / "fixtures" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    assert set(score.INDICATORS) == set(v.INDICATORS)


def test_every_indicator_has_its_table_section_labels_and_units():
    table = tomllib.loads((LEXICON_DIR / "indicators.toml").read_text(encoding="utf-8"))
    for ind in v.Indicator:
        assert ind.value in table and table[ind.value]["lemmas"]
        info = v.INDICATORS_INFO[ind]
        assert info.label.en and info.label.ru
    assert v.FLOW_INDICATORS == {"export", "import", "investment", "aid"}
    assert v.TRADE_INDICATORS == {"trade_turnover", "export", "import"}


def test_a_table_section_for_no_indicator_is_an_error_naming_the_file(tmp_path, monkeypatch):
    import shutil

    from etl import lexicon

    tables = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, tables)
    with (tables / "indicators.toml").open("a", encoding="utf-8") as f:
        f.write('\n[remittances]\nlemmas = ["перевод"]\n')
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tables)
    with pytest.raises(lexicon.LexiconError, match=r"indicators\.toml: section\(s\) remittances"):
        lexicon.build()


def test_the_dashboard_reads_its_labels_from_the_vocabulary():
    from dashboard import i18n

    assert i18n.indicator_label("agreements", "ru") == "Подписанные соглашения"
    assert i18n.pair_label("CIS–KAZ", "en") == "CIS–KAZ · Commonwealth of Independent States – Kazakhstan"


def test_function_words_are_checked_on_load_naming_the_file(tmp_path, monkeypatch):
    import shutil

    from etl import lexicon

    tables = tmp_path / "lexicon"
    shutil.copytree(LEXICON_DIR, tables)
    monkeypatch.setattr(lexicon, "LEXICON_DIR", tables)
    path = tables / "function_words.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\nnegations = ["не"]\n', encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"function_words\.toml: unknown negations"):
        lexicon.build()
    path.write_text(text.replace('negation = ["не"]', 'negation = []'), encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"function_words\.toml: negation must be"):
        lexicon.build()


@pytest.mark.parametrize("module", ["sentence.py", "claim_rules.py", "extract.py", "rules.py",
                                    "events.py", "event_rules.py", "event_words.py"])
def test_the_rules_spell_no_russian_function_word_outside_the_tables(module):
    """Russian words the rules compare with come from etl/lexicon/ (docstrings, comments and the plain words
    that describe a rule aside)."""
    import ast

    tree = ast.parse((ROOT / "etl" / module).read_text(encoding="utf-8"))
    described = {id(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Rule"
                 for k in [*map(lambda a: ast.Expr(a), n.args), *n.keywords]}
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Module)) and ast.get_docstring(n)}
    rule_names = tuple(f"{f}." for f in FIELDS)
    # (a class of letters in a regex, «[а-яё-]», is no word)
    words = sorted({n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    and id(n) not in docstrings | described
                    and re.search("[а-яё]", re.sub(r"\[[^]]*]", "", n.value)) and not n.value.startswith(rule_names)})
    assert words == []
