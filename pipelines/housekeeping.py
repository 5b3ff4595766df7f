"""What a nightly run leaves behind, kept to the last few runs (configuration `runs_kept`).

Great Expectations keeps every validation result and renders a page for each: without pruning
both grow every night for as long as the service runs. (dbt's target folder is one per warehouse,
`WDIR/dbt`, overwritten each run, so it does not grow.)
"""

from __future__ import annotations

import shutil
from pathlib import Path


def prune_validation_results(gx_root: Path, runs_kept: int) -> int:
    """Keep the newest `runs_kept` stored results of each GX suite; drop the rendered pages (Data
    Docs re-renders those kept). Returns how many results were removed."""
    removed = 0
    store = gx_root / "uncommitted" / "validations"
    if store.is_dir():
        for runs in store.rglob("__none__"):
            stamps = sorted((p for p in runs.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
            for old in stamps[runs_kept:]:
                shutil.rmtree(old, ignore_errors=True)
                removed += 1
    pages = gx_root / "uncommitted" / "data_docs" / "local_site" / "validations"
    shutil.rmtree(pages, ignore_errors=True)
    return removed
