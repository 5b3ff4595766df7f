"""Transformation: the dbt project (staging -> intermediate -> measure marts) as Dagster assets.

Error-severity dbt tests become blocking asset checks; unit tests run in `make test`, not in
the nightly build.
"""


import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..dbt_project import dbt_project, prepare

prepare()  # the manifest must exist before the assets can be defined


class Translator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str:
        fqn = dbt_resource_props.get("fqn", [])
        return f"dbt_{fqn[1]}" if len(fqn) > 2 else "dbt"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=Translator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def warehouse_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream()
