"""Extraction: one asset per contract table, loading the extract into the DuckDB ``raw`` schema,
and the reference tables loaded beside it (bank holidays, the catalogue, publication history)."""

import dagster as dg

from ..catalogue_tables import measure_catalogue_table, measure_requirements_table
from ..contracts import raw_contract
from ..extract import load_bank_holidays, load_manifest, load_table, read_manifest, warehouse_connection
from ..extract.loader import derive_columns, load_allocation_types, record_columns_present, replace_table
from ..extract.reader import find_table_file
from ..publish import load_publication_history
from ..resources import ConfigurationResource, ExtractResource, WarehouseResource
from . import EXTRACT_GROUP

MANIFEST_KEY = dg.AssetKey(["raw", "extract_manifest"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            MANIFEST_KEY,
            group_name=EXTRACT_GROUP,
            description="The extract's manifest: extract id, authority, period covered.",
        ),
        dg.AssetSpec(
            ["raw", "extract_tables"],
            group_name=EXTRACT_GROUP,
            description="Which contract tables the extract holds (optional ones may be absent).",
        ),
    ]
)
def extract_manifest(extract: ExtractResource, warehouse: WarehouseResource):
    folder = extract.folder
    manifest = read_manifest(folder)
    present = {t: find_table_file(folder, t) is not None for t in raw_contract().tables}
    with warehouse_connection(warehouse.paths.working) as con:
        load_manifest(con, manifest, present)
    absent = sorted(t for t, is_present in present.items() if not is_present)
    yield dg.MaterializeResult(
        asset_key=MANIFEST_KEY, metadata={"extract_id": manifest.extract_id, "period_end": str(manifest.period_end)}
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "extract_tables"],
        metadata={"extract_id": manifest.extract_id, "optional_tables_absent": ", ".join(absent) or "none"},
    )


def _raw_table_asset(table_name: str) -> dg.AssetsDefinition:
    spec = raw_contract().tables[table_name]

    @dg.asset(
        name=table_name,
        key_prefix=["raw"],
        group_name=EXTRACT_GROUP,
        deps=[MANIFEST_KEY],
        kinds={"duckdb"},
        description=f"{spec.description} ({'required' if spec.required else 'optional'} SSD table)",
    )
    def _load(
        extract: ExtractResource, warehouse: WarehouseResource, configuration: ConfigurationResource
    ) -> dg.MaterializeResult:
        folder = extract.folder
        manifest = read_manifest(folder)
        with warehouse_connection(warehouse.paths.working) as con:
            loaded = load_table(con, folder, table_name, manifest.extract_id, configuration.value_map())
        # counts and names only: nothing about any child reaches Dagster's metadata
        counts = {}
        for _, kind, rows in loaded.report:
            counts[kind] = counts.get(kind, 0) + rows
        return dg.MaterializeResult(
            metadata={
                "extract_id": manifest.extract_id,
                "row_count": loaded.rows,
                "present_in_extract": loaded.present,
                "ignored_columns": ", ".join(loaded.ignored_columns) or "none",
                "absent_columns": ", ".join(loaded.absent_columns) or "none",
                **{kind: rows for kind, rows in sorted(counts.items()) if rows},
            }
        )

    return _load


raw_table_assets = [_raw_table_asset(t) for t in raw_contract().tables]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "derived_columns"],
            group_name=EXTRACT_GROUP,
            deps=[dg.AssetKey(["raw", t]) for t in raw_contract().tables],
            description="Keys a script left out, taken from their parent rows (Mosaic's placements "
            "without clap_person_id), and which contract columns the extract holds.",
        ),
        dg.AssetSpec(
            ["raw", "extract_columns"],
            group_name=EXTRACT_GROUP,
            deps=[dg.AssetKey(["raw", "derived_columns"])],
            description="Which contract columns the extract's files hold.",
        ),
    ]
)
def derived_columns(extract: ExtractResource, warehouse: WarehouseResource):
    manifest = read_manifest(extract.folder)
    with warehouse_connection(warehouse.paths.working) as con:
        derived = derive_columns(con, manifest.extract_id)
        record_columns_present(con, manifest.extract_id)
    yield dg.MaterializeResult(
        asset_key=["raw", "derived_columns"],
        metadata={"derived": "; ".join(f"{table}.{column}: {rows} rows" for table, column, rows in derived) or "none"},
    )
    yield dg.MaterializeResult(asset_key=["raw", "extract_columns"])


@dg.asset(
    key=["raw", "allocation_involvement_types"],
    group_name=EXTRACT_GROUP,
    description="The involvement types that are allocations (configuration allocation_involvement_types).",
)
def allocation_involvement_types(warehouse: WarehouseResource, configuration: ConfigurationResource):
    codes = configuration.load().allocation_involvement_types
    with warehouse_connection(warehouse.paths.working) as con:
        load_allocation_types(con, codes)
    return dg.MaterializeResult(metadata={"allocation_involvement_types": ", ".join(codes)})


@dg.asset(
    key=["raw", "bank_holidays"],
    group_name=EXTRACT_GROUP,
    description="England and Wales bank holidays from the maintained `holidays` package.",
)
def bank_holidays(warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse_connection(warehouse.paths.working) as con:
        holidays_loaded = load_bank_holidays(con)
    return dg.MaterializeResult(metadata={"row_count": holidays_loaded})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "measure_catalogue"],
            group_name=EXTRACT_GROUP,
            description="The measure catalogue from models/measures.yml.",
        ),
        dg.AssetSpec(
            ["raw", "measure_requirements"],
            group_name=EXTRACT_GROUP,
            description="The extract tables each measure needs.",
        ),
    ]
)
def measure_catalogue(warehouse: WarehouseResource):
    with warehouse_connection(warehouse.paths.working) as con:
        replace_table(con, "measure_catalogue", measure_catalogue_table())
        replace_table(con, "measure_requirements", measure_requirements_table())
    yield dg.MaterializeResult(asset_key=["raw", "measure_catalogue"])
    yield dg.MaterializeResult(asset_key=["raw", "measure_requirements"])


@dg.asset(
    key=["raw", "publication_history"],
    group_name=EXTRACT_GROUP,
    description="What earlier publications reported for their own month, read from published.duckdb, "
    "so the scorecard shows the previous result as it was published.",
)
def publication_history(warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths
    with warehouse_connection(paths.working) as con:
        history_rows = load_publication_history(con, paths.published)
    return dg.MaterializeResult(metadata={"rows": history_rows})
