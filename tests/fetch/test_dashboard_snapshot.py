"""The dashboard shows a fetched article with its outlet, and a claim's evidence panel links its snapshot."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from fetch_helpers import run_fetch
from etl.store import connect_readonly

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def test_evidence_panel_links_the_snapshot(tmp_path, site, capsys, monkeypatch):
    db = tmp_path / "data" / "indicators.duckdb"  # snapshots go beside it: data/snapshots/
    url = f"{site.base}/news/kgz-rus-trade.html"
    code, err = run_fetch(capsys, url, "--db", str(db))
    assert code == 0, err
    con = connect_readonly(db)
    cid, source = con.execute("SELECT c.claim_id, d.source FROM claims c JOIN documents d USING (doc_id) "
                              "LIMIT 1").fetchone()
    con.close()
    rel = source.removeprefix("snapshot:")
    assert (tmp_path / "data" / "snapshots" / rel).is_file()

    monkeypatch.setenv("INDICATORS_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"claim": cid})
    at._page_hash = calc_hash("explorer")  # the explorer page, whose evidence panel opens the claim
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    page = "\n".join(h.value for h in at.html)
    assert f"<b>Snapshot:</b> {rel}" in page
    assert "<b>Outlet:</b> 127.0.0.1" in page or "127.0.0.1" in page
    assert any(b.label == "The page as it was fetched" for b in at.get("download_button"))
