"""Extraction: one asset per contract table, loading the extract into the DuckDB ``raw`` schema,
and the reference tables loaded beside it (bank holidays, the catalogue, publication history)."""

import dagster as dg

from .. import history
from ..catalogue_tables import measure_catalogue_table, measure_requirements_table
from ..contracts import raw_contract
from ..extract import load_bank_holidays, load_manifest, load_table, read_manifest, warehouse_connection
from ..extract.arrival import verify
from ..extract.loader import (
    derive_columns,
    load_allocation_types,
    load_disclosure_policy,
    record_columns_present,
    replace_table,
)
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
def extract_manifest(extract: ExtractResource, warehouse: WarehouseResource, configuration: ConfigurationResource):
    folder = extract.folder
    manifest = read_manifest(folder)
    verify(folder, manifest)  # every listed file complete and unchanged (SHA-256)
    present = {t: find_table_file(folder, t) is not None for t in raw_contract().tables}
    with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
        if not extract.force:
            history.refuse_if_older(con, manifest.extract_id, manifest.extracted_at, manifest.period_end)
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
        listed = {name: f.rows for name, f in manifest.files.items()} if manifest.files is not None else None
        with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
            loaded = load_table(con, folder, table_name, manifest.extract_id, configuration.value_map(), listed)
        # counts and names only: nothing about any child reaches Dagster's metadata
        counts = {}
        for _, kind, rows in loaded.report:
            counts[kind] = counts.get(kind, 0) + rows
        return dg.MaterializeResult(
            metadata={
                "extract_id": manifest.extract_id,
                "row_count": loaded.rows,
                "present_in_extract": loaded.present,
                # a file unchanged since that extract's load: its table kept, not read again
                "carried_forward_from": loaded.carried_from or "none",
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
def derived_columns(extract: ExtractResource, warehouse: WarehouseResource, configuration: ConfigurationResource):
    manifest = read_manifest(extract.folder)
    with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
        derived = derive_columns(con, manifest.extract_id)
        record_columns_present(con, manifest.extract_id)
    yield dg.MaterializeResult(
        asset_key=["raw", "derived_columns"],
        metadata={"derived": "; ".join(f"{table}.{column}: {rows} rows" for table, column, rows in derived) or "none"},
    )
    yield dg.MaterializeResult(asset_key=["raw", "extract_columns"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "allocation_involvement_types"],
            group_name=EXTRACT_GROUP,
            description="The involvement types that are allocations (configuration allocation_involvement_types).",
        ),
        dg.AssetSpec(
            ["raw", "disclosure_policy"],
            group_name=EXTRACT_GROUP,
            description="The disclosure policy for what leaves the service (configuration disclosure).",
        ),
    ]
)
def configuration_tables(warehouse: WarehouseResource, configuration: ConfigurationResource):
    settings = configuration.load()
    with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
        load_allocation_types(con, settings.allocation_involvement_types)
        load_disclosure_policy(con, settings.disclosure)
    yield dg.MaterializeResult(
        asset_key=["raw", "allocation_involvement_types"],
        metadata={"allocation_involvement_types": ", ".join(settings.allocation_involvement_types)},
    )
    policy = settings.disclosure
    yield dg.MaterializeResult(
        asset_key=["raw", "disclosure_policy"],
        metadata={
            "threshold": policy.threshold,
            "rounding_base": policy.rounding_base,
            "suppress_zeros": policy.suppress_zeros,
        },
    )


@dg.asset(
    key=["raw", "bank_holidays"],
    group_name=EXTRACT_GROUP,
    description="England and Wales bank holidays from the maintained `holidays` package.",
)
def bank_holidays(warehouse: WarehouseResource, configuration: ConfigurationResource) -> dg.MaterializeResult:
    with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
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
def measure_catalogue(warehouse: WarehouseResource, configuration: ConfigurationResource):
    with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
        replace_table(con, "measure_catalogue", measure_catalogue_table())
        replace_table(con, "measure_requirements", measure_requirements_table())
    yield dg.MaterializeResult(asset_key=["raw", "measure_catalogue"])
    yield dg.MaterializeResult(asset_key=["raw", "measure_requirements"])


@dg.asset(
    key=["raw", "publication_history"],
    group_name=EXTRACT_GROUP,
    description="What earlier publications reported for their own month, from the working warehouse's "
    "history (never from published.duckdb), so the scorecard shows the previous result as it was published.",
)
def publication_history(warehouse: WarehouseResource, configuration: ConfigurationResource) -> dg.MaterializeResult:
    with warehouse_connection(warehouse.paths.working, configuration.duckdb()) as con:
        history_rows = load_publication_history(con)
    return dg.MaterializeResult(metadata={"rows": history_rows})
