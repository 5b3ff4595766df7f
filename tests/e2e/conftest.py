from pathlib import Path

import pytest

from pipelines.runner import run_pipeline


@pytest.fixture(scope="session")
def published(tmp_path_factory, small_extract) -> Path:
    """The small extract run through the whole nightly job once: its published.duckdb (shareable.duckdb beside it)."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    timings = run_pipeline(small_extract, warehouse, quiet=True)
    assert set(timings) == {"load", "raw checks", "dbt", "measure checks", "publish", "reports"}
    return warehouse / "published.duckdb"
