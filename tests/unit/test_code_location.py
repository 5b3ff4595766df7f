"""A fast test of the Dagster code location, as dagster-open-platform has: the definitions load,
and their asset graph (keys, groups, checks and whether they block) is the one reviewed in
tests/unit/snapshots/code_location.json. A changed graph is a reviewed diff: regenerate the
snapshot with CSCW_UPDATE_SNAPSHOTS=1 and commit it with the change."""

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).parent / "snapshots" / "code_location.json"


@pytest.fixture(scope="module")
def defs():
    from pipelines.dbt_project import prepare_manifest

    prepare_manifest()
    from pipelines.definitions import defs

    return defs


def _graph(defs) -> dict:
    graph = defs.resolve_asset_graph()
    assets = {key.to_user_string(): graph.get(key).group_name for key in sorted(graph.get_all_asset_keys())}
    checks = {}
    for check_key in sorted(graph.asset_check_keys, key=lambda k: (k.asset_key.to_user_string(), k.name)):
        spec = graph.get_check_spec(check_key)
        checks[f"{check_key.asset_key.to_user_string()}:{check_key.name}"] = "blocking" if spec.blocking else "warning"
    return {
        "jobs": sorted(job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")),
        "schedules": {s.name: [s.cron_schedule, s.execution_timezone] for s in defs.schedules or []},
        "sensors": sorted(s.name for s in defs.sensors or []),
        "resources": sorted(defs.resources),
        "assets": assets,
        "checks": checks,
    }


def test_the_code_location_matches_its_reviewed_snapshot(defs):
    current = _graph(defs)
    if os.environ.get("CSCW_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
    reviewed = json.loads(SNAPSHOT.read_text())
    assert current == reviewed, "the asset graph changed: review it and run with CSCW_UPDATE_SNAPSHOTS=1"


def test_every_asset_runs_in_exactly_one_stage(defs):
    import dagster as dg

    from pipelines.runner import STAGES

    graph = defs.resolve_asset_graph()
    staged = [key for stage in STAGES for key in dg.AssetSelection.groups(*stage.groups).resolve(graph)]
    assert sorted(staged) == sorted(graph.get_all_asset_keys())


def test_every_quality_check_that_guards_publication_blocks(defs):
    graph = _graph(defs)
    warnings = [check for check, kind in graph["checks"].items() if kind == "warning"]
    assert warnings == ["quality/measure_gate:month_on_month_jumps"]
    assert all(kind == "blocking" for check, kind in graph["checks"].items() if check.startswith("quarantine/"))


def test_the_dbt_resource_starts_dbt_without_asking_its_version_or_building_an_adapter(defs, monkeypatch, tmp_path):
    """dagster-dbt would run `dbt --version` and build a dbt adapter in process on every run
    (2.9 s on this machine) for features the warehouse does not use; its resource skips both."""
    import inspect
    from importlib import metadata

    from dagster_dbt import DbtCliResource
    from dagster_dbt.core import resource as dagster_dbt_resource
    from packaging import version

    from pipelines.dbt_project import ENVIRONMENT_DBT, WarehouseDbtCliResource

    # the overrides reach what dagster-dbt's cli() calls: an upgrade that renames them fails here
    assert "_cli_version" in vars(DbtCliResource)
    assert "self._initialize_dbt_core_adapter(" in inspect.getsource(DbtCliResource.cli)
    dbt = defs.resources["dbt"]
    assert isinstance(dbt, WarehouseDbtCliResource) and dbt.dbt_executable == str(ENVIRONMENT_DBT)

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(dagster_dbt_resource, "check_output", no_subprocess)
    fresh = WarehouseDbtCliResource(project_dir=dbt.project_dir, dbt_executable=dbt.dbt_executable)
    assert fresh._cli_version == version.parse(metadata.version("dbt-core"))
    assert fresh._initialize_dbt_core_adapter(["build"]) is None
    # a dbt from elsewhere is still asked its version
    other_dbt = tmp_path / "dbt"
    other_dbt.write_text("#!/bin/sh\n")
    other_dbt.chmod(0o755)
    elsewhere = WarehouseDbtCliResource(project_dir=dbt.project_dir, dbt_executable=str(other_dbt))
    with pytest.raises(AssertionError, match="a subprocess was started"):
        elsewhere._cli_version  # noqa: B018
