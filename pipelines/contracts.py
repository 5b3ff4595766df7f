"""Typed access to the declarative contracts in ``models/``.

``models/raw_extract.yml`` (the raw extract schema) and ``models/measures.yml`` (the measure
catalogue) are the single source of truth; the loader, the generated dbt sources, the
data-quality rules, the publisher and the docs all read them through this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"

TYPES = ("string", "date", "integer", "decimal", "flag")


class ContractError(ValueError):
    """The contract files themselves are inconsistent."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    key: bool = False
    references: tuple[str, str] | None = None  # (table, column)
    codes: tuple[str, ...] | None = None
    dated: str | None = None  # "event" | "due"
    personal: bool = False
    extension: bool = False
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    required: bool
    description: str
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]
    person_column: str | None = None
    before_birth: bool = False
    intervals: tuple[tuple[str, str], ...] = ()
    extension: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def published_columns(self) -> list[Column]:
        """Columns that may leave the raw layer (direct identifiers never do)."""
        return [c for c in self.columns if not c.personal]


@dataclass(frozen=True)
class RawContract:
    version: int
    csv_date_formats: tuple[str, ...]
    code_sets: dict[str, tuple[str, ...]]
    tables: dict[str, Table]

    @property
    def required_tables(self) -> list[str]:
        return [t for t, spec in self.tables.items() if spec.required]


@dataclass(frozen=True)
class Measure:
    id: str
    spec_no: int
    scorecard_no: int | None
    name: str
    section: str
    polarity: str | None
    period: str
    unit: str
    target: float | None
    red_threshold: float | None
    uasc_split: bool
    attribution: str
    requires: tuple[str, ...]
    seed_ref: str
    definition: str
    green_band: float | None = None
    red_band: float | None = None
    core_monitoring: bool = False

    @property
    def scopes(self) -> list[str]:
        return ["all", "excl_uasc"] if self.uasc_split else ["all"]


@dataclass(frozen=True)
class Catalogue:
    version: int
    sections: dict[str, str]
    measures: dict[str, Measure] = field(default_factory=dict)

    def by_section(self) -> dict[str, list[Measure]]:
        out: dict[str, list[Measure]] = {s: [] for s in self.sections}
        for m in self.measures.values():
            out[m.section].append(m)
        return out


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=None)
def raw_contract(path: Path | None = None) -> RawContract:
    doc = _load_yaml(path or MODELS_DIR / "raw_extract.yml")
    code_sets = {k: tuple(str(v) for v in vals) for k, vals in doc["code_sets"].items()}
    tables: dict[str, Table] = {}
    for tname, spec in doc["tables"].items():
        cols = []
        for c in spec["columns"]:
            if c["type"] not in TYPES:
                raise ContractError(f"{tname}.{c['name']}: unknown type {c['type']!r}")
            codes = c.get("codes")
            if isinstance(codes, str):
                if codes not in code_sets:
                    raise ContractError(f"{tname}.{c['name']}: unknown code set {codes!r}")
                codes = code_sets[codes]
            elif codes is not None:
                codes = tuple(str(v) for v in codes)
            ref = c.get("references")
            cols.append(
                Column(
                    name=c["name"],
                    type=c["type"],
                    required=bool(c.get("required", False)),
                    key=bool(c.get("key", False)),
                    references=tuple(ref.split(".", 1)) if ref else None,
                    codes=codes,
                    dated=c.get("dated"),
                    personal=bool(c.get("personal", False)),
                    extension=bool(c.get("extension", False)),
                    description=c.get("description", ""),
                )
            )
        names = {c.name for c in cols}
        pk = tuple(spec["primary_key"])
        intervals = tuple(tuple(p) for p in spec.get("intervals", []))
        for col in (*pk, *(x for p in intervals for x in p)):
            if col not in names:
                raise ContractError(f"{tname}: {col} named in keys/intervals but not a column")
        tables[tname] = Table(
            name=tname,
            required=bool(spec["required"]),
            description=spec.get("description", ""),
            primary_key=pk,
            columns=tuple(cols),
            person_column=spec.get("person_column"),
            before_birth=bool(spec.get("before_birth", False)),
            intervals=intervals,
            extension=bool(spec.get("extension", False)),
        )
    for t in tables.values():
        for c in t.columns:
            if c.references and (
                c.references[0] not in tables
                or c.references[1] not in tables[c.references[0]].column_names
            ):
                raise ContractError(f"{t.name}.{c.name}: reference {c.references} does not exist")
    return RawContract(
        version=doc["version"],
        csv_date_formats=tuple(doc["csv_date_formats"]),
        code_sets=code_sets,
        tables=tables,
    )


@lru_cache(maxsize=None)
def catalogue(path: Path | None = None) -> Catalogue:
    doc = _load_yaml(path or MODELS_DIR / "measures.yml")
    sections = {s["id"]: s["name"] for s in doc["sections"]}
    defaults = doc.get("defaults", {})
    tables = raw_contract().tables
    measures: dict[str, Measure] = {}
    for m in doc["measures"]:
        if m["id"] in measures:
            raise ContractError(f"measure {m['id']} is defined twice")
        if m["section"] not in sections:
            raise ContractError(f"measure {m['id']}: unknown section {m['section']}")
        for t in m["requires"]:
            if t not in tables:
                raise ContractError(f"measure {m['id']}: requires unknown table {t}")
        if m["polarity"] not in ("H", "L", "T", None):
            raise ContractError(f"measure {m['id']}: polarity must be H, L, T or null")
        is_t = m["polarity"] == "T"
        measures[m["id"]] = Measure(
            id=m["id"],
            spec_no=m["spec_no"],
            scorecard_no=m.get("scorecard_no"),
            name=m["name"],
            section=m["section"],
            polarity=m["polarity"],
            period=m["period"],
            unit=m["unit"],
            target=m.get("target"),
            red_threshold=m.get("red_threshold"),
            uasc_split=bool(m["uasc_split"]),
            attribution=m["attribution"],
            requires=tuple(m["requires"]),
            seed_ref=m.get("seed_ref", ""),
            definition=" ".join(str(m.get("definition", "")).split()),
            green_band=m.get("green_band", defaults.get("t_green_band")) if is_t else None,
            red_band=m.get("red_band", defaults.get("t_red_band")) if is_t else None,
            core_monitoring=bool(m.get("core_monitoring", False)),
        )
    return Catalogue(version=doc["version"], sections=sections, measures=measures)
