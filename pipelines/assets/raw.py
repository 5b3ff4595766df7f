"""Extraction: one asset per contract table, loading the extract into the DuckDB ``raw`` schema."""


import dagster as dg

from .. import settings
from ..catalogue_tables import measure_catalogue_table, measure_requirements_table
from ..contracts import raw_contract
from ..extract import (
    load_bank_holidays,
    load_manifest,
    load_table,
    read_manifest,
    read_table,
    warehouse_connection,
)
from ..extract.loader import replace_table
from ..publish import load_publication_history
from ..extract.reader import find_table_file

RAW_GROUP = "raw_extract"


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", "extract_manifest"], group_name=RAW_GROUP,
                        description="The extract's manifest: extract id, authority, period covered."),
           dg.AssetSpec(["raw", "extract_tables"], group_name=RAW_GROUP,
                        description="Which contract tables the extract holds (optional ones may be absent).")],
)
def extract_manifest(context: dg.AssetExecutionContext):
    folder = settings.source_dir()
    manifest = read_manifest(folder)
    present = {t: find_table_file(folder, t) is not None for t in raw_contract().tables}
    with warehouse_connection(settings.working_warehouse_path()) as con:
        load_manifest(con, manifest, present)
    absent = sorted(t for t, p in present.items() if not p)
    yield dg.MaterializeResult(asset_key=["raw", "extract_manifest"], metadata={
        "extract_id": manifest.extract_id, "period_end": str(manifest.period_end)})
    yield dg.MaterializeResult(asset_key=["raw", "extract_tables"], metadata={
        "extract_id": manifest.extract_id, "optional_tables_absent": ", ".join(absent) or "none"})


def _raw_table_asset(table_name: str) -> dg.AssetsDefinition:
    spec = raw_contract().tables[table_name]

    @dg.asset(
        name=table_name, key_prefix=["raw"], group_name=RAW_GROUP,
        deps=[dg.AssetKey(["raw", "extract_manifest"])],
        description=f"{spec.description} ({'required' if spec.required else 'optional'} SSD table)",
        kinds={"duckdb"},
    )
    def _load(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        folder = settings.source_dir()
        manifest = read_manifest(folder)
        loaded = read_table(folder, table_name)
        with warehouse_connection(settings.working_warehouse_path()) as con:
            rows = load_table(con, loaded, manifest.extract_id)
        # counts and names only: nothing about any child reaches Dagster's metadata
        return dg.MaterializeResult(metadata={
            "extract_id": manifest.extract_id,
            "row_count": rows,
            "present_in_extract": loaded.present,
            "ignored_columns": ", ".join(loaded.ignored_columns) or "none",
        })

    return _load


raw_table_assets = [_raw_table_asset(t) for t in raw_contract().tables]


@dg.asset(key=["raw", "bank_holidays"], group_name=RAW_GROUP,
          description="England and Wales bank holidays from the maintained `holidays` package.")
def bank_holidays() -> dg.MaterializeResult:
    with warehouse_connection(settings.working_warehouse_path()) as con:
        n = load_bank_holidays(con)
    return dg.MaterializeResult(metadata={"row_count": n})


@dg.multi_asset(
    specs=[dg.AssetSpec(["raw", "measure_catalogue"], group_name=RAW_GROUP,
                        description="The measure catalogue from models/measures.yml."),
           dg.AssetSpec(["raw", "measure_requirements"], group_name=RAW_GROUP,
                        description="The extract tables each measure needs.")],
)
def measure_catalogue():
    with warehouse_connection(settings.working_warehouse_path()) as con:
        replace_table(con, "measure_catalogue", measure_catalogue_table())
        replace_table(con, "measure_requirements", measure_requirements_table())
    yield dg.MaterializeResult(asset_key=["raw", "measure_catalogue"])
    yield dg.MaterializeResult(asset_key=["raw", "measure_requirements"])


@dg.asset(key=["raw", "publication_history"], group_name=RAW_GROUP,
          description="What earlier publications reported for their own month, read from published.duckdb, "
                      "so the scorecard shows the previous result as it was published.")
def publication_history() -> dg.MaterializeResult:
    with warehouse_connection(settings.working_warehouse_path()) as con:
        n = load_publication_history(con, settings.published_path())
    return dg.MaterializeResult(metadata={"rows": n})
