"""The dbt project as Dagster sees it, its preparation (dbt parse), and the dbt CLI resource."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cached_property
from importlib import metadata
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from . import settings

ENVIRONMENT_DBT = Path(sys.executable).with_name("dbt")


def _dbt_executable() -> str:
    """The dbt of this Python environment, else the one on PATH."""
    return str(ENVIRONMENT_DBT) if ENVIRONMENT_DBT.exists() else (shutil.which("dbt") or "dbt")


DBT_EXECUTABLE = _dbt_executable()
# dbt's own telemetry stays off (dbt_project.yml sets it too; the environment variable covers `dbt parse`)
DBT_ENVIRONMENT = {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def dbt_command(*args: str) -> list[str]:
    """A dbt command line against this project and its profiles."""
    return [
        DBT_EXECUTABLE,
        *args,
        "--project-dir",
        str(settings.DBT_PROJECT_DIR),
        "--profiles-dir",
        str(settings.DBT_PROJECT_DIR),
    ]


def _newest_source_mtime(project_dir: Path) -> float:
    files = [p for folder in ("models", "macros", "tests") for p in (project_dir / folder).rglob("*") if p.is_file()]
    files += [project_dir / "dbt_project.yml", project_dir / "profiles.yml"]
    return max(p.stat().st_mtime for p in files)


dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
# As Dagster documents: under `dagster dev` the preparer re-parses the project on load (make ui
# puts this environment's dbt on PATH); elsewhere `cscw prepare` and the runner prepare explicitly.
dbt_project.prepare_if_dev()


def prepare_manifest() -> Path:
    """`dbt parse` when the manifest is missing or older than the project's files; returns its path."""
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(dbt_project.project_dir):
        subprocess.run(
            dbt_command("parse", "--quiet"),
            check=True,
            cwd=dbt_project.project_dir,
            env={**os.environ, **DBT_ENVIRONMENT},
        )
    return manifest


class WarehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two start-up costs it pays on every run (1.6 s and 1.3 s on
    this machine, README "Scale") for nothing this project uses:
    - it runs `dbt --version` in a subprocess to learn dbt's version: the dbt this environment
      runs is the dbt-core package installed beside it, whose version Python already knows;
    - it builds a dbt adapter in this process, used only to fetch row counts and column metadata
      after each model (`fetch_row_counts`, `fetch_column_metadata`), which the warehouse never
      asks for: they would be a query per model on children's tables and Dagster metadata.
    Both are private to dagster-dbt (pinned in pyproject.toml); tests/unit/test_code_location.py
    fails if an upgrade renames them."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == ENVIRONMENT_DBT:
            return version.parse(metadata.version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_resource() -> DbtCliResource:
    return WarehouseDbtCliResource(
        project_dir=dbt_project, profiles_dir=str(settings.DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE
    )
