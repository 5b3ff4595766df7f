"""The configuration a run needs, as Dagster resources: which warehouse, which extract.

Both are set per run (the CLI passes them as run config; the UI shows them in the launchpad);
left empty they take the defaults of `settings` (environment variables, then data/).
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from . import locking, settings


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse folder: working warehouse, publications and Data Docs. A run holds the
    warehouse's lock from start to end (pipelines/locking.py) and creates files that other
    users cannot read."""

    warehouse_dir: str = ""
    _umask: int | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        locking.acquire(self.paths.root, purpose=f"Dagster run {context.run_id}" if context.run_id else "run")
        self._umask = os.umask(locking.RUN_UMASK)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._umask is not None:
            os.umask(self._umask)
        locking.release(self.paths.root)

    @property
    def paths(self) -> settings.WarehousePaths:
        root = Path(self.warehouse_dir).resolve() if self.warehouse_dir else settings.default_warehouse_dir()
        return settings.WarehousePaths(root)

    def dbt_vars(self) -> dict[str, str]:
        """What dbt needs to know of this warehouse (profiles.yml reads `warehouse_path`)."""
        return {"warehouse_path": str(self.paths.working)}


class ExtractResource(dg.ConfigurableResource):
    """The extract folder this run loads, chosen once when the run starts: the folder named in
    the run config, else the newest complete extract under the extracts folder. Every asset of
    the run reads this one folder, whatever lands beside it meanwhile."""

    source: str = ""
    # publish an extract older than the last publication (a deliberate re-run of an old month)
    force: bool = False
    _folder: Path | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._folder = settings.resolve_source(self.source)
        if context.log is not None:
            context.log.info(f"extract folder for this run: {self._folder}")

    @property
    def folder(self) -> Path:
        if self._folder is None:  # used outside a run (tests, tools)
            self._folder = settings.resolve_source(self.source)
        return self._folder


class ConfigurationResource(dg.ConfigurableResource):
    """The council's configuration file (config/default.yml when none is named), read once when
    the run starts: every asset of a run works to the same settings, even if the file is edited
    meanwhile."""

    config_file: str = ""
    _configuration: object | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self.load()

    def load(self):
        if self._configuration is None:  # read at run start, or on first use outside a run (tests, tools)
            from .config import load_configuration

            self._configuration = load_configuration(self.config_file or None)
        return self._configuration

    def duckdb(self):
        """What DuckDB may use (memory limit, spill folder, threads): config.DuckDBResources."""
        return self.load().duckdb

    def value_map(self):
        from .extract.value_maps import load_value_map

        return load_value_map(self.load().value_map)
