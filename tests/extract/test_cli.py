"""`python -m etl extract` on real files: bad input is named by file and line, and the rest goes on."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GOOD = {"id": "kg-ru", "published": "2025-07-02",
        "text": "Товарооборот между Кыргызстаном и Россией уже превысил 3 миллиарда долларов США в год."}
GOOD2 = {"id": "kz-uz", "published": "2018-03-14",
         "text": "По итогам 2017 года торговля Казахстана и Узбекистана достигла 2 миллиардов долларов."}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "extract", *args], input=stdin,
                          capture_output=True, timeout=300)


def claims_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_bad_lines_are_named_and_the_others_processed(tmp_path):
    src = tmp_path / "articles.jsonl"
    lines = [
        json.dumps(GOOD, ensure_ascii=False).encode(),
        b'{"id": "broken", "text": "\xd0\xa2\xd0\xbe',  # cut mid-line
        b'{"id": "no-text"}',
        b'{"id": "empty", "text": ""}',
        b'{"id": "latin1", "text": "caf\xe9 \xff"}',  # not UTF-8
        json.dumps(GOOD2, ensure_ascii=False).encode(),
    ]
    src.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "claims.jsonl"
    r = run("--input", str(src), "--output", str(out))
    err = r.stderr.decode()
    assert r.returncode == 1, err
    for line in (2, 3, 4, 5):
        assert f"articles.jsonl:{line}" in err, err
    assert {c["doc_id"] for c in claims_of(out)} == {"kg-ru", "kz-uz"}
    assert "2 documents read" in err


def test_a_folder_of_text_files_and_stdin(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "kg-ru.txt").write_text("среда, 02 июля 2025\n" + GOOD["text"], encoding="utf-8")
    (folder / "kz-uz.txt").write_text(GOOD2["text"], encoding="cp1251")
    out = tmp_path / "claims.jsonl"
    r = run("--input", str(folder), "--output", str(out))
    assert r.returncode == 0, r.stderr.decode()
    claims = claims_of(out)
    assert {c["doc_id"] for c in claims} == {"kg-ru", "kz-uz"}  # id = file name; cp1251 decoded
    r = run(stdin=(json.dumps(GOOD, ensure_ascii=False) + "\n").encode())
    assert r.returncode == 0
    [claim] = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert (claim["value"], claim["comparator"], claim["countries"]) == (3e9, "gt", ["KGZ", "RUS"])


def test_a_50_mb_document_is_processed_whole(tmp_path):
    filler = "Стороны обсудили сотрудничество в области образования, культуры и туризма. " * 20 + "\n"
    text = filler * (50 * 1024 * 1024 // len(filler.encode()) + 1) + GOOD["text"]
    src = tmp_path / "big.jsonl"
    with open(src, "w", encoding="utf-8") as f:
        f.write(json.dumps(GOOD2, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "big", "text": text, "published": "2025-07-02"}, ensure_ascii=False) + "\n")
    assert src.stat().st_size > 50 * 1024 * 1024
    out = tmp_path / "claims.jsonl"
    r = run("--input", str(src), "--output", str(out))
    assert r.returncode == 0, r.stderr.decode()[-500:]
    big = [c for c in claims_of(out) if c["doc_id"] == "big"]
    assert len(big) == 1 and big[0]["span"][0] >= len(text) - len(GOOD["text"])  # offsets in characters
    assert text[big[0]["span"][0]:big[0]["span"][1]] == big[0]["text"]


def test_a_given_title_names_the_pair_of_a_one_line_text():
    """`doc.title or first_line if "\\n" in text else text[:200]` once dropped the title of any text
    without a line break; the title is what names the sides of «между странами» here."""
    from etl.extract import extract_document
    from etl.model import Document

    doc = Document(id="t", text="По итогам 2024 года товарооборот между странами вырос до 2 млрд долларов.",
                   published="2025-01-10", title="Казахстан и Китай нарастили торговлю")
    assert [(c.countries, c.value) for c in extract_document(doc)] == [(["CHN", "KAZ"], 2e9)]
