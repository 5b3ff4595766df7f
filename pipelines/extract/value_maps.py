"""Value maps: what scripts write for each code of the contract's code sets, as data.

The map shipped with the warehouse (models/value_maps/dfe.yml, from the DfE's code descriptions)
is read first, then the council's own map (configuration `value_map`), whose entries win. A value
matches when it equals a code or one of its descriptions ignoring case and surrounding spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import yaml

from ..contracts import MODELS_DIR, raw_contract

SHIPPED_MAP = MODELS_DIR / "value_maps" / "dfe.yml"
BLANK = None  # `~` in a map: what an empty cell means (a council's choice)


class ValueMapError(ValueError):
    """A value map names a code set or code the contract does not have, or is malformed."""


def match_key(text: str) -> str:
    """The form values are matched in: case and surrounding spaces ignored (the loader's SQL does the same)."""
    return text.strip().lower()


@dataclass(frozen=True)
class ValueMap:
    # code set -> match key -> (code, kind): kind is "code" for a code itself, "description" otherwise
    entries: dict[str, dict[str, tuple[str, str]]]
    blank: dict[str, str]  # code set -> the code an empty cell stands for
    sources: tuple[Path, ...]

    def as_table(self) -> pa.Table:
        rows = [
            (code_set, key, code, kind) for code_set, keys in self.entries.items() for key, (code, kind) in keys.items()
        ]
        return pa.table(
            {
                "code_set": pa.array([r[0] for r in rows], pa.string()),
                "match_key": pa.array([r[1] for r in rows], pa.string()),
                "code": pa.array([r[2] for r in rows], pa.string()),
                "kind": pa.array([r[3] for r in rows], pa.string()),
            }
        )


def _read(path: Path) -> dict:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueMapError(f"{path}: cannot be read as a value map ({type(exc).__name__})") from None
    if not isinstance(doc.get("code_sets"), dict):
        raise ValueMapError(f"{path}: a value map has a `code_sets:` mapping")
    return doc["code_sets"]


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def load_value_map(council_map: Path | None = None) -> ValueMap:
    """The shipped map and the council's, read once per process while neither file changes (each
    table's load asks for it). The map returned is shared: read it, never change it."""
    sources = (SHIPPED_MAP, *([council_map] if council_map else []))
    return _load_value_map(tuple((path, _stamp(path)) for path in sources))


@lru_cache(maxsize=8)
def _load_value_map(stamped_sources: tuple[tuple[Path, tuple[int, int] | None], ...]) -> ValueMap:
    code_sets = raw_contract().code_sets
    entries = {name: {match_key(code): (code, "code") for code in codes} for name, codes in code_sets.items()}
    blank: dict[str, str] = {}
    sources = tuple(path for path, _ in stamped_sources)
    for path in sources:
        for code_set, codes in _read(path).items():
            if code_set not in code_sets:
                raise ValueMapError(f"{path}: unknown code set {code_set}")
            for code, values in (codes or {}).items():
                code = str(code)
                if code not in code_sets[code_set]:
                    raise ValueMapError(f"{path}: {code_set} has no code {code}")
                for value in values or ():
                    if value is BLANK:
                        blank[code_set] = code
                        continue
                    key = match_key(str(value))
                    existing = entries[code_set].get(key)
                    if existing and existing[1] == "code" and existing[0] != code:
                        raise ValueMapError(f"{path}: {code_set} maps the code {existing[0]} to {code}")
                    entries[code_set][key] = (code, existing[1] if existing and existing[0] == code else "description")
    return ValueMap(entries, blank, sources)


def map_template(unmapped: list[tuple[str, str, str, int]], extract_id: str) -> str:
    """A council value map to fill in: for each code set, the values found that map to no code
    (as comments) and the codes they may be written under."""
    contract = raw_contract()
    by_code_set: dict[str, list[tuple[str, str, int]]] = {}
    free_text: set[str] = set()
    for table, column, value, rows in unmapped:
        spec = contract.tables[table].column(column)
        by_code_set.setdefault(spec.code_set, []).append((f"{table}.{column}", value, rows))
        if spec.open_codes:
            free_text.add(spec.code_set)
    lines = [
        f"# Value map written by `cscw validate --write-map` from extract {extract_id}.",
        "# Under each code set, put every value found below under the code it means, for example",
        "#   ethnicity:",
        '#     WBRI: ["White - English", "White - Scottish"]',
        "# then name this file as `value_map:` in your configuration (see config/default.yml).",
        "code_sets:",
    ]
    for code_set in sorted(by_code_set):
        lines.append(f"  {code_set}:")
        lines.append(f"    # codes: {', '.join(contract.code_sets[code_set])}")
        if code_set in free_text:
            lines.append("    # free text: a value left unmapped is kept as written; map only those that mean a code")
        for column, value, rows in by_code_set[code_set]:
            lines.append(
                f"    # found in {column} ({rows:,} rows): {yaml.safe_dump(value, default_style=chr(34)).strip()}"
            )
        lines.append("    {}")
    return "\n".join(lines) + "\n"
