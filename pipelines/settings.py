"""Where things live. Everything can be pointed elsewhere with environment variables."""

from __future__ import annotations

import os
from pathlib import Path

from .contracts import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
DATA_DIR = PROJECT_ROOT / "data"


def warehouse_dir() -> Path:
    return Path(os.environ.get("CSCW_WAREHOUSE_DIR", DATA_DIR / "warehouse")).resolve()


def working_warehouse_path() -> Path:
    return warehouse_dir() / "warehouse.duckdb"


def published_path() -> Path:
    return warehouse_dir() / "published.duckdb"


def data_docs_dir() -> Path:
    """Great Expectations Data Docs (HTML at gx/uncommitted/data_docs/local_site/index.html)."""
    return warehouse_dir() / "data_docs"


def extracts_dir() -> Path:
    return Path(os.environ.get("CSCW_EXTRACTS_DIR", DATA_DIR / "extracts")).resolve()


def source_dir() -> Path:
    """The extract to load: CSCW_SOURCE, else the newest folder under data/extracts/."""
    explicit = os.environ.get("CSCW_SOURCE")
    if explicit:
        return Path(explicit).resolve()
    candidates = [p for p in extracts_dir().glob("*") if (p / "manifest.json").is_file()]
    if not candidates:
        raise FileNotFoundError(
            f"no extract to load: set CSCW_SOURCE or drop an extract folder under {extracts_dir()}"
        )
    return max(candidates, key=lambda p: (p / "manifest.json").stat().st_mtime)


def export_dbt_env() -> None:
    """dbt reads the working warehouse path from the environment (profiles.yml)."""
    os.environ["CSCW_WAREHOUSE_PATH"] = str(working_warehouse_path())
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
