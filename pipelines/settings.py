"""Where things live. Defaults come from environment variables, which are read, never written:
CSCW_WAREHOUSE_DIR (the warehouse folder), CSCW_EXTRACTS_DIR (where nightly extracts land),
CSCW_SOURCE (pin the extract a run loads when it names none), CSCW_CACHE_DIR (what can be rebuilt
from installed packages, e.g. the charts' JavaScript bundle)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .contracts import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"  # `cscw demo`: its extract and warehouse, apart from the real ones


@dataclass(frozen=True)
class WarehousePaths:
    """The files of one warehouse folder."""

    root: Path

    @property
    def working(self) -> Path:
        """The working warehouse: raw, staging, intermediate, marts (child-level; never published)."""
        return self.root / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "published.duckdb"

    @property
    def shareable(self) -> Path:
        """The disclosure-controlled publication, for what leaves the service."""
        return self.root / "shareable.duckdb"

    @property
    def shareable_parquet(self) -> Path:
        return self.root / "shareable"

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this warehouse (compiled SQL, run results, partial parse state, log)."""
        return self.root / "dbt"

    @property
    def reports(self) -> Path:
        """The monthly reports (xlsx, html, pdf): aggregates, as published."""
        return self.root / "reports"

    @property
    def data_docs(self) -> Path:
        """Great Expectations Data Docs (HTML at gx/uncommitted/data_docs/local_site/index.html)."""
        return self.root / "data_docs"


def default_warehouse_dir() -> Path:
    return Path(os.environ.get("CSCW_WAREHOUSE_DIR", DATA_DIR / "warehouse")).resolve()


def cache_dir() -> Path:
    return Path(os.environ.get("CSCW_CACHE_DIR", DATA_DIR / "cache")).resolve()


def extracts_dir() -> Path:
    return Path(os.environ.get("CSCW_EXTRACTS_DIR", DATA_DIR / "extracts")).resolve()


def resolve_source(source: str | Path | None = None) -> Path:
    """The extract a run loads: the folder given, else CSCW_SOURCE, else the complete extract with
    the latest extracted_at under the extracts folder (pipelines/extract/arrival.py)."""
    explicit = str(source or "") or os.environ.get("CSCW_SOURCE", "")
    if explicit:
        return Path(explicit).resolve()
    from .extract.arrival import newest_complete

    return newest_complete(extracts_dir())
