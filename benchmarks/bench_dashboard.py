"""Dashboard speed at scale: 1,000,000 synthetic claims in a DuckDB file with the store's schema.

    .venv/bin/python benchmarks/bench_dashboard.py [--claims 1000000] [--changes 50] [--keep PATH]

Measures, and prints as a table:
  1. query  — one filter change as the page pays for it on a cache miss: every query a rerun issues
              (counts, series, table page, chart points, latest tiles, disagreements) plus building the
              Altair chart and the display table, called directly (no Streamlit).
  2. apptest — the same filter changes through `streamlit.testing.v1.AppTest`: the whole script rerun
              (widgets, queries, chart spec, table serialisation), i.e. the server time of a rerun.
  3. first render — a cold AppTest run (empty caches, new connection: options, all queries, chart),
              and, if /usr/bin/chromium exists, a real browser: navigation until the chart and the table
              are drawn.
Filter values are drawn at random and never repeat, so the result cache never answers."""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.periods import period_bounds  # noqa: E402

COUNTRIES = ["RUS", "KAZ", "KGZ", "UZB", "TJK", "TKM", "CHN", "TUR", "BLR", "ARM", "AZE", "IRN", "IND",
             "AFG", "PAK", "KOR", "JPN", "DEU", "USA", "ARE", "EAEU", "SCO"]
OUTLETS = [f"news{i}.example.{tld}" for i, tld in enumerate(["kg", "kz", "ru", "uz", "tj"] * 8)]
INDICATOR_UNITS = {
    "trade_turnover": ["USD", "USD", "USD", "%", "RUB"],
    "export": ["USD", "t", "%"],
    "import": ["USD", "%"],
    "investment": ["USD", "EUR"],
    "agreements": ["count", "USD"],
    "aid": ["t", "USD"],
}
TEMPLATES = {
    "trade_turnover": "Товарооборот между {a} и {b} {when} составил {fig}.",
    "export": "Экспорт из {a} в {b} {when} достиг {fig}.",
    "import": "Импорт в {a} из {b} {when} вырос до {fig}.",
    "investment": "Инвестиции {a} в экономику {b} {when} превысили {fig}.",
    "agreements": "По итогам визита {a} и {b} подписали {fig}.",
    "aid": "{a} направил в {b} гуманитарную помощь {when} — {fig}.",
}
UNIT_WORDS = {"USD": "долларов", "RUB": "рублей", "EUR": "евро", "t": "тонн", "%": "%", "count": "соглашений"}


def _period(rng: random.Random) -> str | None:
    y = rng.randint(2005, 2025)
    r = rng.random()
    if r < 0.3:
        return None
    if r < 0.7:
        return str(y)
    if r < 0.8:
        return f"{y}-Q{rng.randint(1, 4)}"
    if r < 0.9:
        return f"{y}-{rng.randint(1, 12):02d}"
    return f"{y}-01/{y}-{rng.randint(2, 11):02d}"


def generate(path: Path, n_claims: int, claims_per_doc: int = 10, seed: int = 7) -> None:
    """Write `n_claims` claims in `n_claims / claims_per_doc` documents whose text is the concatenation
    of their claims' sentences, so spans and sentences are consistent as in a real store."""
    rng = random.Random(seed)
    schema = (ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")
    n_docs = max(1, n_claims // claims_per_doc)
    pairs = [tuple(sorted(p)) for p in {tuple(sorted(rng.sample(COUNTRIES, 2))) for _ in range(400)}]
    pair_weights = [1 / (i + 1) for i in range(len(pairs))]  # a few pairs dominate, as in the news
    docs: dict[str, list] = {k: [] for k in ("doc_id", "url", "title", "published", "text")}
    claims: dict[str, list] = {k: [] for k in (
        "claim_id", "doc_id", "indicator", "country_a", "country_b", "flow_from", "value", "value_max", "unit",
        "kind", "comparator", "modality", "period", "period_start", "period_end", "figure_text", "span_start",
        "span_end", "sentence", "sentence_start", "sentence_end")}
    made = 0
    for d in range(n_docs):
        doc_id = f"doc{d:07d}"
        published = date(rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28))
        k = claims_per_doc if d < n_docs - 1 else n_claims - made
        parts: list[str] = []
        pos = 0
        for j in range(k):
            a, b = rng.choices(pairs, weights=pair_weights)[0]
            indicator = rng.choice(list(INDICATOR_UNITS))
            unit = rng.choice(INDICATOR_UNITS[indicator])
            kind = "change" if unit == "%" else "level"
            mant = round(rng.uniform(1, 999), 1)
            scale, word = rng.choice([(1e6, "млн"), (1e9, "млрд"), (1, "")]) if unit not in ("%", "count") else (1, "")
            value = mant * scale if unit != "count" else float(rng.randint(2, 40))
            figure = (f"{mant:g}".replace(".", ",") + (f" {word}" if word else "") if unit != "count"
                      else str(int(value))) + f" {UNIT_WORDS[unit]}"
            period = _period(rng)
            when = f"в {period[:4]} году" if period else "в прошлом году"
            sentence_tpl = TEMPLATES[indicator].format(a=a, b=b, when=when, fig="\x00")
            sentence = sentence_tpl.replace("\x00", figure)
            s0 = pos
            f0 = s0 + sentence_tpl.index("\x00")
            ps, pe = period_bounds(period)
            claims["claim_id"].append(f"{doc_id}:{f0}-{f0 + len(figure)}:{indicator}:{j}")
            claims["doc_id"].append(doc_id)
            claims["indicator"].append(indicator)
            claims["country_a"].append(a)
            claims["country_b"].append(b)
            claims["flow_from"].append(a if indicator in ("export", "import", "investment", "aid") else None)
            claims["value"].append(value)
            claims["value_max"].append(None)
            claims["unit"].append(unit)
            claims["kind"].append(kind)
            claims["comparator"].append(rng.choices(["eq", "gt", "lt", "approx"], [80, 10, 3, 7])[0])
            claims["modality"].append(rng.choices(["actual", "target", "forecast"], [80, 15, 5])[0])
            claims["period"].append(period)
            claims["period_start"].append(ps)
            claims["period_end"].append(pe)
            claims["figure_text"].append(figure)
            claims["span_start"].append(f0)
            claims["span_end"].append(f0 + len(figure))
            claims["sentence"].append(sentence)
            claims["sentence_start"].append(s0)
            claims["sentence_end"].append(s0 + len(sentence))
            parts.append(sentence)
            pos += len(sentence) + 1
        made += k
        text = " ".join(parts)
        docs["doc_id"].append(doc_id)
        docs["url"].append(None if d % 97 == 0 else f"https://{rng.choice(OUTLETS)}/{published}/{doc_id}")
        docs["title"].append(f"Статья {d}: сотрудничество {claims['country_a'][-1]} и {claims['country_b'][-1]}")
        docs["published"].append(published)
        docs["text"].append(text)
    docs_df = pd.DataFrame(docs)
    docs_df["source"] = "synthetic"
    docs_df["published_inferred"] = False
    docs_df["outlet_country"] = None
    docs_df["text_chars"] = docs_df["text"].str.len()
    docs_df["content_sha256"] = "0" * 64
    docs_df["ingested_at"] = datetime(2025, 1, 1)
    claims_df = pd.DataFrame(claims)
    claims_df["extractor_version"] = "synthetic"
    for col in ("period_start", "period_end"):
        claims_df[col] = pd.to_datetime(claims_df[col]).dt.date
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    con.execute(schema)
    con.register("docs_df", docs_df)
    con.register("claims_df", claims_df)
    con.execute("INSERT INTO documents BY NAME SELECT * FROM docs_df")
    con.execute("INSERT INTO claims BY NAME SELECT * FROM claims_df")
    con.execute("CHECKPOINT")
    con.close()
