"""The dashboard's official-statistics pieces (dashboard/official.py, its queries) on a real store."""
from __future__ import annotations

import altair as alt
from test_official import COMTRADE
from test_statements import doc, lines_extractor, load  # noqa: F401 (a fixture)

from dashboard import official, queries
from etl.official import import_files
from etl.store import connect_readonly


def test_pair_lines_and_a_claims_gap(tmp_path, db, lines_extractor):
    load(tmp_path, db, [doc("a", "a.kz", "2024-02-01", {"value": 33.48e9, "period": "2023"})])
    con = connect_readonly(db)
    try:
        assert queries.official_lines(con, "CHN", "KAZ", "trade_turnover").empty  # none imported yet
        claim_id = con.execute("SELECT claim_id FROM claims").fetchone()[0]
        assert queries.claim_gap(con, claim_id) is None and official.gap_caption(None) == ""
    finally:
        con.close()
    import_files([str(COMTRADE)], str(db))
    con = connect_readonly(db)
    try:
        lines = queries.official_lines(con, "CHN", "KAZ", "trade_turnover")
        assert sorted(zip(lines["reporter"], lines["year"], lines["value_usd"])) == [
            ("CHN", 2023, 41.1e9), ("KAZ", 2022, 23.8e9), ("KAZ", 2023, 31e9)]
        exports = queries.official_lines(con, "CHN", "KAZ", "export", "KAZ")
        assert sorted(zip(exports["reporter"], exports["value_usd"])) == [("CHN", 16.6e9), ("KAZ", 13.2e9), ("KAZ", 15e9)]
        assert queries.official_lines(con, "CHN", "KAZ", "agreements").empty
        assert isinstance(official.official_layer(lines, 1e9), alt.Chart)
        assert official.official_layer(lines.iloc[0:0]) is None
        gap = queries.claim_gap(con, claim_id)
        assert official.gap_caption(gap) == "Official statistics 2023: vs CHN's report: −19 %; vs KAZ's: +8 %"
    finally:
        con.close()
