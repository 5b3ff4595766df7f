"""The configuration a run needs, as Dagster resources: which warehouse, which extract.

Both are set per run (the CLI passes them as run config; the UI shows them in the launchpad);
left empty they take the defaults of `settings` (environment variables, then data/).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from . import settings


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse folder: working warehouse, published warehouse and Data Docs."""

    warehouse_dir: str = ""

    @property
    def paths(self) -> settings.WarehousePaths:
        root = Path(self.warehouse_dir).resolve() if self.warehouse_dir else settings.default_warehouse_dir()
        return settings.WarehousePaths(root)

    def dbt_vars(self) -> dict[str, str]:
        """What dbt needs to know of this warehouse (profiles.yml reads `warehouse_path`)."""
        return {"warehouse_path": str(self.paths.working)}


class ExtractResource(dg.ConfigurableResource):
    """The extract folder this run loads."""

    source: str = ""

    @property
    def folder(self) -> Path:
        return Path(self.source).resolve() if self.source else settings.default_source()


class ConfigurationResource(dg.ConfigurableResource):
    """The council's configuration file (config/default.yml when none is named)."""

    config_file: str = ""

    def load(self):
        from .config import load_configuration

        return load_configuration(self.config_file or None)

    def value_map(self):
        from .extract.value_maps import load_value_map

        return load_value_map(self.load().value_map)
