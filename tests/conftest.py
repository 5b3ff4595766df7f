import os
from pathlib import Path

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def small_extract(tmp_path_factory) -> Path:
    """A small generated extract shared by the tests that only read it."""
    from pipelines.synthetic import generate

    out = tmp_path_factory.mktemp("extract") / "small"
    generate(out, children=2500, years=3, seed=7)
    return out
