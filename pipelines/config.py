"""The council's configuration: config/default.yml, overridden key by key by the council's own
file (CSCW_CONFIG, or the path a run is given)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .contracts import PROJECT_ROOT

DEFAULT_CONFIG = PROJECT_ROOT / "config" / "default.yml"


class ConfigurationError(ValueError):
    """The configuration file is unreadable or names something that does not exist."""


@dataclass(frozen=True)
class DisclosurePolicy:
    """What may leave the service in shareable.duckdb (pipelines/disclosure.py, README)."""

    threshold: int = 5  # counts below this are suppressed at team and area level
    rounding_base: int = 5  # published counts rounded to a multiple of this (1: not rounded)
    suppress_zeros: bool = True  # a count of 0 is below the threshold too


@dataclass(frozen=True)
class DuckDBResources:
    """What DuckDB may use on this machine, for every connection a run opens on the working
    warehouse and for dbt's. Past ``memory_limit`` DuckDB spills to ``temp_directory`` instead of
    being killed; spill files are child-level data, so by default they stay beside the working
    warehouse (DuckDB's ``warehouse.duckdb.tmp``). None: DuckDB's own default."""

    memory_limit: str | None = None  # e.g. "8GB"; DuckDB's default is 80% of the machine's memory
    temp_directory: Path | None = None
    threads: int | None = None  # DuckDB's default: one per core
    # dbt's threads: how many models dbt builds at once, sharing the one DuckDB's memory and threads
    # (on 2 cores within 6 GB one at a time is faster for a national extract: README "Scale")
    models_at_once: int | None = None  # None: the dbt profile's 2

    def settings(self) -> dict[str, str | int]:
        """The DuckDB settings to apply (those configured)."""
        chosen = {"memory_limit": self.memory_limit, "temp_directory": self.temp_directory, "threads": self.threads}
        return {name: str(value) if isinstance(value, Path) else value for name, value in chosen.items() if value}

    def apply(self, con) -> None:
        for name, value in self.settings().items():
            con.execute(f"set global {name} = {value if isinstance(value, int) else repr(str(value))}")

    def dbt_vars(self) -> dict[str, str | int]:
        """The vars dbt's on-run-start hook reads (macros/duckdb_resources.sql)."""
        return {f"duckdb_{name}": value for name, value in self.settings().items()}


@dataclass(frozen=True)
class Configuration:
    allocation_involvement_types: tuple[str, ...]
    value_map: Path | None  # the council's own value map
    source: Path | None = None  # the council's file, when there is one
    disclosure: DisclosurePolicy = DisclosurePolicy()
    runs_kept: int = 7  # Great Expectations validation results kept
    duckdb: DuckDBResources = DuckDBResources()


def _read(path: Path) -> dict:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"{path}: cannot be read as a configuration file ({type(exc).__name__})") from None
    if not isinstance(doc, dict):
        raise ConfigurationError(f"{path}: a configuration file is a mapping of keys to values")
    return doc


def load_configuration(path: str | Path | None = None) -> Configuration:
    """The defaults, with the council's file (the given path, else CSCW_CONFIG) laid over them."""
    settings = _read(DEFAULT_CONFIG)
    council = Path(path or os.environ.get("CSCW_CONFIG") or "") if (path or os.environ.get("CSCW_CONFIG")) else None
    base = DEFAULT_CONFIG.parent
    if council is not None:
        overrides = _read(council)
        unknown = sorted(set(overrides) - set(settings))
        if unknown:
            raise ConfigurationError(f"{council}: unknown keys {', '.join(unknown)}")
        settings.update(overrides)
        base = council.parent
    types = tuple(str(code).strip().upper() for code in settings["allocation_involvement_types"] or ())
    if not types:
        raise ConfigurationError("allocation_involvement_types: at least one involvement type is an allocation")
    value_map = settings.get("value_map")
    value_map = (base / value_map).resolve() if value_map else None
    if value_map is not None and not value_map.is_file():
        raise ConfigurationError(f"value_map: {value_map} does not exist")
    disclosure = _disclosure(settings.get("disclosure") or {})
    runs_kept = settings.get("runs_kept")
    if not isinstance(runs_kept, int) or runs_kept < 1:
        raise ConfigurationError("runs_kept: a whole number, at least 1")
    resources = _duckdb(settings.get("duckdb") or {}, base)
    return Configuration(types, value_map, council.resolve() if council else None, disclosure, runs_kept, resources)


def _duckdb(doc: dict, base: Path) -> DuckDBResources:
    import duckdb

    unknown = sorted(set(doc) - set(DuckDBResources.__dataclass_fields__))
    if unknown:
        raise ConfigurationError(f"duckdb: unknown keys {', '.join(unknown)}")
    memory_limit, temp_directory = doc.get("memory_limit"), doc.get("temp_directory")
    threads, models_at_once = doc.get("threads"), doc.get("models_at_once")
    if memory_limit is not None:
        try:
            duckdb.connect().execute(f"set memory_limit = {str(memory_limit)!r}")
        except duckdb.Error:
            raise ConfigurationError("duckdb.memory_limit: an amount of memory such as 8GB or 512MB") from None
    for name, value in (("threads", threads), ("models_at_once", models_at_once)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ConfigurationError(f"duckdb.{name}: a whole number, at least 1")
    return DuckDBResources(
        str(memory_limit) if memory_limit is not None else None,
        (base / temp_directory).resolve() if temp_directory else None,
        threads,
        models_at_once,
    )


def _disclosure(doc: dict) -> DisclosurePolicy:
    defaults = DisclosurePolicy()
    unknown = sorted(set(doc) - set(defaults.__dataclass_fields__))
    if unknown:
        raise ConfigurationError(f"disclosure: unknown keys {', '.join(unknown)}")
    policy = DisclosurePolicy(**{**defaults.__dict__, **doc})
    if not isinstance(policy.threshold, int) or policy.threshold < 1:
        raise ConfigurationError("disclosure.threshold: a whole number, at least 1")
    if not isinstance(policy.rounding_base, int) or policy.rounding_base < 1:
        raise ConfigurationError("disclosure.rounding_base: a whole number, at least 1 (1: counts not rounded)")
    if not isinstance(policy.suppress_zeros, bool):
        raise ConfigurationError("disclosure.suppress_zeros: true or false")
    return policy
