"""Document -> claims. (Placeholder while the extraction engine is being built: returns no claims.)"""
from __future__ import annotations

from etl.model import Claim, Document

EXTRACTOR_VERSION = "0.0.0"


def extract_document(doc: Document) -> list[Claim]:
    return []
