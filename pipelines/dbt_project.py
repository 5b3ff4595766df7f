"""The dbt project as Dagster sees it, and the parse step that produces its manifest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from . import settings

dbt_project = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


def _newest_source_mtime() -> float:
    roots = [settings.DBT_PROJECT_DIR / d for d in ("models", "macros", "tests")]
    files = [p for r in roots for p in r.rglob("*") if p.is_file()]
    files.append(settings.DBT_PROJECT_DIR / "dbt_project.yml")
    return max(p.stat().st_mtime for p in files)


def prepare(force: bool = False) -> Path:
    """Run `dbt parse` when the manifest is missing or older than the project's files."""
    manifest = dbt_project.manifest_path
    if force or not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        settings.export_dbt_env()
        dbt = Path(sys.executable).with_name("dbt")
        subprocess.run(
            [str(dbt) if dbt.exists() else "dbt", "parse", "--quiet",
             "--project-dir", str(settings.DBT_PROJECT_DIR), "--profiles-dir", str(settings.DBT_PROJECT_DIR)],
            check=True, cwd=settings.DBT_PROJECT_DIR,
        )
    return manifest


def dbt_resource() -> DbtCliResource:
    settings.export_dbt_env()
    dbt = Path(sys.executable).with_name("dbt")
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(settings.DBT_PROJECT_DIR),
                          dbt_executable=str(dbt) if dbt.exists() else "dbt")
