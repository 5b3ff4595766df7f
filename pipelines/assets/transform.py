"""Transformation: the dbt project (staging -> intermediate -> measure marts -> shareable) as Dagster assets.

Error-severity dbt tests become blocking asset checks; unit tests run in `make test`, not in
the nightly build. The manifest must have been prepared (`cscw prepare`, or `dagster dev`).
"""

import json

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..dbt_project import dbt_project
from ..resources import ConfigurationResource, WarehouseResource
from . import DBT_GROUPS


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        # a group per top folder of models/ (staging, intermediate, marts, shareable)
        group = f"dbt_{dbt_resource_props['fqn'][1]}"
        if group not in DBT_GROUPS:
            raise ValueError(f"dbt node {dbt_resource_props['unique_id']} is outside the folders the runner knows")
        return group


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def warehouse_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    configuration: ConfigurationResource,
):
    resources = configuration.duckdb()
    dbt_vars = {**warehouse.dbt_vars(), **resources.dbt_vars()}
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(dbt_vars)]
    if resources.models_at_once is not None:
        args += ["--threads", str(resources.models_at_once)]
    # dbt's target folder lives with the warehouse: the same profile and vars every night, so
    # dbt's partial parsing skips the ~7 s full parse after a warehouse's first run
    yield from dbt.cli(args, context=context, target_path=warehouse.paths.dbt_target).stream()
