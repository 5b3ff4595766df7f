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
class Configuration:
    allocation_involvement_types: tuple[str, ...]
    value_map: Path | None  # the council's own value map
    source: Path | None = None  # the council's file, when there is one


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
    return Configuration(types, value_map, council.resolve() if council else None)
