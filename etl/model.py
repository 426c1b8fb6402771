"""The two records that flow through the pipeline: a Document in, Claims out.

Field names and order follow the claim contract (docs/claims.md, v1.2)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from etl.vocabulary import (BLOCS, COMPARATORS, FLOW_INDICATORS, INDICATORS, KINDS,  # noqa: F401  (re-exported)
                            MODALITIES, TRADE_INDICATORS, UNITS_NON_CURRENCY)


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    published: str | None = None  # ISO date; may be inferred from the text
    url: str | None = None
    title: str | None = None
    outlet_country: str | None = None  # ISO 3166-1 alpha-3: whose "наша страна"

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        return cls(
            id=str(d["id"]),
            text=d["text"],
            published=d.get("published") or None,
            url=d.get("url") or None,
            title=d.get("title") or None,
            outlet_country=d.get("outlet_country") or None,
        )

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Claim:
    doc_id: str
    indicator: str
    countries: list[str]
    flow_from: str | None
    value: float
    value_max: float | None
    unit: str
    kind: str
    comparator: str
    modality: str
    period: str | None
    text: str
    span: list[int]
    sentence: str
    sentence_span: list[int] = field(default_factory=list)
    # Not a contract field: which named rule decided each field (etl/rules.py), for --explain and the store.
    trace: dict[str, str] | None = field(default=None, compare=False, repr=False)

    def to_dict(self, explain: bool = False) -> dict:
        return contract_dict(self, explain)


def contract_dict(record: object, explain: bool = False) -> dict:
    """A claim's or an event's contract keys in their order; with `explain`, its `trace` after them."""
    d = asdict(record)
    trace = d.pop("trace")
    if explain:
        d["trace"] = trace or {}
    return d
