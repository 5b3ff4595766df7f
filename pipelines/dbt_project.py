"""The dbt project as Dagster sees it, its preparation (dbt parse), and the dbt CLI resource."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from . import settings


def _dbt_executable() -> str:
    """The dbt of this Python environment, else the one on PATH."""
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


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


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project, profiles_dir=str(settings.DBT_PROJECT_DIR), dbt_executable=DBT_EXECUTABLE
    )
