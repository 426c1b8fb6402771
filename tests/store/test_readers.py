"""etl.readers: files -> Documents, and a clear problem (file and line) for everything else."""
from __future__ import annotations

import io
import json
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import ROOT, write_jsonl

from etl.readers import ReadProblem, decode_text, iter_documents

RUSSIAN = "Товарооборот между Кыргызстаном и Россией превысил 3 млрд долларов.\nЁлка, щи, объём, съезд: 12%."

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Кыргызстан и Казахстан подписали 7 соглашений | Новости</title>
<link rel="canonical" href="https://example.kg/news/42">
<meta property="article:published_time" content="2024-05-17T09:00:00+06:00">
</head><body><nav><a href="/">Главная</a> <a href="/sport">Спорт</a></nav>
<article><h1>Кыргызстан и Казахстан подписали 7 соглашений</h1>
<p>В Бишкеке прошло заседание межправительственного совета, стороны подписали 7 соглашений.</p>
<p>Товарооборот между странами по итогам прошлого года составил 1,5 млрд долларов, сообщил министр.</p>
<p>Стороны договорились довести товарооборот до 3 млрд долларов в ближайшие годы.</p>
</article><footer>Все права защищены</footer></body></html>"""


def read_all(*paths):
    problems: list[ReadProblem] = []
    docs = list(iter_documents([str(p) for p in paths], problems.append))
    return docs, problems


def test_problem_names_file_and_line():
    assert str(ReadProblem("a/b.jsonl", 12, "invalid JSON")) == "a/b.jsonl:12: invalid JSON"
    assert str(ReadProblem("a/b.txt", None, "empty file")) == "a/b.txt: empty file"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-8", "utf-8-sig", "utf-16"])
def test_text_encodings_decode_to_the_same_text(tmp_path, encoding):
    (tmp_path / "kg-1.txt").write_bytes(RUSSIAN.encode(encoding))
    docs, problems = read_all(tmp_path / "kg-1.txt")
    assert problems == []
    assert [(d.document.id, d.document.text) for d in docs] == [("kg-1", RUSSIAN)]


def test_short_legacy_texts_are_not_confused():
    # KOI8-R and cp1251 share the byte range; a short text is where detectors slip.
    for word in ("Привет", "Стороны подписали 7 соглашений"):
        assert decode_text(word.encode("cp1251")) == word
        assert decode_text(word.encode("koi8_r")) == word


def test_newlines_as_python_text_mode_reads_them(tmp_path):
    (tmp_path / "a.txt").write_bytes("строка 1\r\nстрока 2\rстрока 3\n".encode("cp1251"))
    docs, _ = read_all(tmp_path / "a.txt")
    assert docs[0].document.text == "строка 1\nстрока 2\nстрока 3\n"


def test_seed_files_read_exactly_as_the_gold_documents():
    gold = {d["id"]: d["text"] for d in map(json.loads, (ROOT / "tests/fixtures/docs.jsonl").open(encoding="utf-8"))}
    docs, problems = read_all(ROOT / "tests/fixtures/seeds_raw")
    assert problems == []
    assert {d.document.id: d.document.text for d in docs} == gold


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "no text"),
        ("nul.txt", bytes(range(256)) * 8, "binary data"),
        ("noise.txt", bytes((i * 37 + 11) % 256 for i in range(4000) if (i * 37 + 11) % 256), "not text"),
        ("controls.txt", b"\x01\x02\x03\x04 abc \x05\x06\x07\x08" * 50, "binary data"),
        ("empty.html", b"", "empty file"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("empty.jsonl", b"", "empty file"),
        ("blob.jsonl", b"\x00\x01\x02\n\x03", "binary data"),
        ("notes.md", b"# hello", "skipped: not .txt/.html/.htm/.jsonl"),
    ],
)
def test_bad_files_are_problems_naming_the_file(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    docs, problems = read_all(tmp_path / name)
    assert docs == []
    assert len(problems) == 1
    assert problems[0].source == str(tmp_path / name)
    assert message in problems[0].message


def test_missing_path_is_a_problem(tmp_path):
    docs, problems = read_all(tmp_path / "nope")
    assert docs == [] and problems[0].message == "no such file or folder"


def test_jsonl_bad_lines_name_their_line_and_the_rest_loads(tmp_path):
    good = {"id": "a", "text": "текст А", "published": "2024-05-17", "outlet_country": "KGZ"}
    lines = [
        json.dumps(good, ensure_ascii=False),  # 1
        '{"id": "b", "text": "обрыв',  # 2: broken JSON
        json.dumps({"id": "c", "text": "текст В"}, ensure_ascii=False),  # 3: good after the broken one
        json.dumps({"text": "без id"}, ensure_ascii=False),  # 4
        json.dumps({"id": "d"}),  # 5
        json.dumps({"id": "e", "text": 5}),  # 6
        json.dumps({"id": "f", "text": "   "}),  # 7
        "",  # 8: blank lines are fine
        json.dumps({"id": "a", "text": "другой текст"}, ensure_ascii=False),  # 9: duplicate of line 1
        json.dumps({"id": "g", "text": "т", "published": "вчера"}, ensure_ascii=False),  # 10
        "[1, 2]",  # 11
        json.dumps({"id": 7, "text": "числовой id", "published": "2024-05-17T10:30:00Z"}, ensure_ascii=False),  # 12
        json.dumps({"id": "h", "text": "т", "title": ["x"]}, ensure_ascii=False),  # 13
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, problems = read_all(path)
    assert [(d.document.id, d.source) for d in docs] == [("a", f"{path}:1"), ("c", f"{path}:3"), ("7", f"{path}:12")]
    assert docs[0].document.outlet_country == "KGZ" and docs[0].document.published == "2024-05-17"
    assert docs[2].document.published == "2024-05-17"
    by_line = {p.line: p.message for p in problems}
    assert sorted(by_line) == [2, 4, 5, 6, 7, 9, 10, 11, 13]
    assert all(p.source == str(path) for p in problems)
    assert "invalid JSON" in by_line[2]
    assert "no `id`" in by_line[4]
    assert "no `text`" in by_line[5]
    assert "not a string" in by_line[6]
    assert "empty" in by_line[7]
    assert "duplicate id 'a'" in by_line[9] and f"{path}:1" in by_line[9]
    assert "not an ISO date" in by_line[10]
    assert "not a JSON object" in by_line[11]
    assert "`title`" in by_line[13]


def test_duplicate_ids_across_files_keep_the_first(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": "первый"}])
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.txt").write_text("второй", encoding="utf-8")
    docs, problems = read_all(tmp_path)
    assert [d.document.text for d in docs] == ["первый"]
    assert str(problems[0]) == f"{tmp_path / 'b' / 'x.txt'}: duplicate id 'x' (first read from {tmp_path / 'a.jsonl'}:1): skipped"


def test_folders_are_walked_recursively_in_sorted_order_without_hidden_entries(tmp_path):
    for rel in ["b/2.txt", "b/1.txt", "a.txt", "c/d/e.htm", ".git/x.txt", ".hidden.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"<p>текст {rel}</p>", encoding="utf-8")
    docs, problems = read_all(tmp_path)
    assert problems == []
    assert [d.source for d in docs] == [str(tmp_path / r) for r in ["a.txt", "b/1.txt", "b/2.txt", "c/d/e.htm"]]
    assert [d.document.id for d in docs] == ["a", "1", "2", "e"]


def test_html_page_main_text_and_metadata(tmp_path):
    (tmp_path / "kg-agreements.html").write_text(PAGE, encoding="utf-8")
    docs, problems = read_all(tmp_path / "kg-agreements.html")
    assert problems == []
    doc = docs[0].document
    assert doc.id == "kg-agreements"
    assert doc.title.startswith("Кыргызстан и Казахстан подписали 7 соглашений")
    assert doc.url == "https://example.kg/news/42"
    assert doc.published == "2024-05-17"
    assert "составил 1,5 млрд долларов" in doc.text and "довести товарооборот до 3 млрд" in doc.text
    assert "Главная" not in doc.text and "Все права защищены" not in doc.text  # boilerplate removed


def test_html_in_windows_1251(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1251"')
    (tmp_path / "p.html").write_bytes(page.encode("cp1251"))
    docs, _ = read_all(tmp_path / "p.html")
    assert "составил 1,5 млрд долларов" in docs[0].document.text


def test_truncated_html_still_yields_its_text(tmp_path):
    cut = PAGE[: PAGE.index("Стороны договорились") + 10]  # ends mid-paragraph, no closing tags
    (tmp_path / "cut.html").write_text(cut, encoding="utf-8")
    docs, problems = read_all(tmp_path / "cut.html")
    assert problems == []
    assert "составил 1,5 млрд долларов" in docs[0].document.text


def test_html_without_text_is_a_problem(tmp_path):
    (tmp_path / "void.html").write_text("<html><head><title></title></head><body></body></html>")
    docs, problems = read_all(tmp_path / "void.html")
    assert docs == [] and "no text" in problems[0].message


def test_jsonl_from_stdin(monkeypatch):
    data = (json.dumps({"id": "s1", "text": "из stdin"}, ensure_ascii=False) + "\nnot json\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    docs, problems = read_all("-")
    assert [(d.document.id, d.source) for d in docs] == [("s1", "<stdin>:1")]
    assert str(problems[0]).startswith("<stdin>:2: invalid JSON")


def test_a_50_mb_text_is_read_whole(tmp_path):
    paragraph = ("Товарооборот между Кыргызстаном и Россией превысил 3 млрд долларов. " * 10 + "\n").encode("utf-8")
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
            f.write(paragraph)
    assert os.path.getsize(path) >= 50 * 1024 * 1024
    docs, problems = read_all(path)
    assert problems == []
    assert len(docs[0].document.text.encode("utf-8")) == os.path.getsize(path)


@settings(max_examples=150, deadline=None)
@given(
    doc_id=st.text(min_size=1).filter(str.strip),
    text=st.text(min_size=1).filter(str.strip),
    title=st.none() | st.text(),
)
def test_any_contract_document_survives_a_jsonl_round_trip(tmp_path_factory, doc_id, text, title):
    path = tmp_path_factory.mktemp("rt") / "d.jsonl"
    write_jsonl(path, [{"id": doc_id, "text": text, "title": title}, {"id": doc_id + "-2", "text": text}])
    docs, problems = read_all(path)
    assert problems == []
    assert [(d.document.id, d.document.text) for d in docs] == [(doc_id, text), (doc_id + "-2", text)]
    assert docs[0].document.title == (title or None)


@pytest.mark.parametrize("text, title", [
    ("Казахстан и Китай нарастили торговлю\n\nАстана, 5 мая. Товарооборот вырос.", "Казахстан и Китай нарастили торговлю"),
    # a scraped page: chrome and a dateline before the headline
    ("90 секунд\n  • 5 минут\nсреда, 02 июля 2025\nПолитика\n\nЖапаров прибыл   в Москву с визитом\nТекст.",
     "Жапаров прибыл в Москву с визитом"),
    # a site's two-sentence blurb is not its headline
    ("Портал «Новости Азии». Новости Центральной Азии и Китая\nТоварооборот России и Узбекистана растёт",
     "Товарооборот России и Узбекистана растёт"),
    # a file that opens with its first paragraph has no title
    ("Президент Киргизии 24 мая встретился с президентом России в Сочи.\nОбсуждены планы.", None),
    # a short title on the first line is the title (fewer words than a headline among chrome needs)
    ("Торговля с Китаем\n\nТоварооборот Казахстана и Китая вырос на 5%. Экспорт растёт.", "Торговля с Китаем"),
    ("  Итоги года: экспорт\nТоварооборот вырос.", "Итоги года: экспорт"),
    # …but not a dateline, nor a text of one line
    ("среда, 02 июля 2025\nТоварооборот вырос на 5%. Экспорт растёт.", None),
    ("Торговля с Китаем растёт", "Торговля с Китаем растёт"),  # a headline (four words) as before
    ("Торговля с Китаем", None),
], ids=["headline", "after-chrome", "not-a-blurb", "no-headline", "short-title", "short-title-spaces",
        "dateline", "four-words-alone", "one-line"])
def test_a_text_files_title_is_its_first_headline(tmp_path, text, title):
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    docs, problems = read_all(tmp_path / "a.txt")
    assert not problems
    assert docs[0].document.title == title


def test_a_text_of_one_long_line_has_no_title():
    from etl.text import heading_of

    assert heading_of("Товарооборот России и Китая вырос " * 100_000) is None
    # blank lines are no lines of the page: a headline after forty of them is still its first
    assert heading_of("\n" * 40 + "Россия и Китай нарастили взаимную торговлю\nТекст.") == \
        "Россия и Китай нарастили взаимную торговлю"
