"""Where things live. Defaults come from environment variables, which are read, never written:
CSCW_WAREHOUSE_DIR (the warehouse folder), CSCW_EXTRACTS_DIR (where nightly extracts land),
CSCW_SOURCE (pin the extract the schedule loads)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .contracts import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DATA_DIR = PROJECT_ROOT / "data"


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
    def data_docs(self) -> Path:
        """Great Expectations Data Docs (HTML at gx/uncommitted/data_docs/local_site/index.html)."""
        return self.root / "data_docs"


def default_warehouse_dir() -> Path:
    return Path(os.environ.get("CSCW_WAREHOUSE_DIR", DATA_DIR / "warehouse")).resolve()


def extracts_dir() -> Path:
    return Path(os.environ.get("CSCW_EXTRACTS_DIR", DATA_DIR / "extracts")).resolve()


def default_source() -> Path:
    """The extract to load when a run names none: CSCW_SOURCE, else the newest folder under the extracts folder."""
    explicit = os.environ.get("CSCW_SOURCE")
    if explicit:
        return Path(explicit).resolve()
    candidates = [p for p in extracts_dir().glob("*") if (p / "manifest.json").is_file()]
    if not candidates:
        raise FileNotFoundError(f"no extract to load: set CSCW_SOURCE or drop an extract folder under {extracts_dir()}")
    return max(candidates, key=lambda p: (p / "manifest.json").stat().st_mtime)
