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
class Configuration:
    allocation_involvement_types: tuple[str, ...]
    value_map: Path | None  # the council's own value map
    source: Path | None = None  # the council's file, when there is one
    disclosure: DisclosurePolicy = DisclosurePolicy()
    runs_kept: int = 7  # Great Expectations validation results kept


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
    return Configuration(types, value_map, council.resolve() if council else None, disclosure, runs_kept)


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
