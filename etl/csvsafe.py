"""Cells a spreadsheet would run as formulas, made plain text (OWASP's CSV injection advice).

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by spreadsheet programs
as a formula: `=HYPERLINK(…)` in an article's sentence would become a live link. Such a text cell gets
a leading apostrophe, which spreadsheets show as text. Only text columns are touched (a negative
number stays a number), and only in CSV: Parquet and JSON exports keep every value exact."""
from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralise(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return ESCAPE + cell
    return cell


def sql_neutralise(column: str) -> str:
    """The same rule as a DuckDB expression over a VARCHAR column (quoted identifier)."""
    starts = ", ".join("chr(%d)" % ord(c) for c in FORMULA_STARTS)
    col = '"' + column.replace('"', '""') + '"'
    return f"CASE WHEN left({col}, 1) IN ({starts}) THEN '{ESCAPE}{ESCAPE}' || {col} ELSE {col} END"
