"""Typed access to the declarative contracts in ``models/``.

``models/raw_extract.yml`` (the raw extract schema) and ``models/measures.yml`` (the measure
catalogue) are the single source of truth; the loader, the generated dbt sources and staging
views, the data-quality rules, the publisher and the docs all read them through this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa
import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"


@dataclass(frozen=True)
class ColumnType:
    sql: str  # the warehouse (DuckDB / dbt) type
    arrow: pa.DataType


# The one map from a contract type to its warehouse and Arrow types.
COLUMN_TYPES: dict[str, ColumnType] = {
    "string": ColumnType("varchar", pa.string()),
    "flag": ColumnType("varchar", pa.string()),  # Y / N in raw; staging turns it into a boolean
    "date": ColumnType("date", pa.date32()),
    "integer": ColumnType("bigint", pa.int64()),
    "decimal": ColumnType("double", pa.float64()),
}


class ContractError(ValueError):
    """The contract files themselves are inconsistent."""


@dataclass(frozen=True)
class Column:
    name: str  # the SSD name, as in the extract
    domain_name: str  # the name staging gives it, which every model downstream uses
    type: str
    required: bool = False
    key: bool = False
    references: tuple[str, str] | None = None  # (table, column)
    codes: tuple[str, ...] | None = None
    dated: str | None = None  # "event" | "due"
    personal: bool = False
    extension: bool = False  # added by this contract, not in the SSD specification
    description: str = ""

    @property
    def column_type(self) -> ColumnType:
        return COLUMN_TYPES[self.type]


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
    extension: bool = False  # an extension table (ext_...), not in the SSD specification

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
    family: str
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
    families: dict[str, str]
    measures: dict[str, Measure]

    def family_measures(self, family: str) -> list[Measure]:
        return [m for m in self.measures.values() if m.family == family]


ATTRIBUTIONS = ("event_team", "person_team", "la_only")


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _column(table: str, spec: dict, code_sets: dict[str, tuple[str, ...]]) -> Column:
    if spec["type"] not in COLUMN_TYPES:
        raise ContractError(f"{table}.{spec['name']}: unknown type {spec['type']!r}")
    codes = spec.get("codes")
    if isinstance(codes, str):
        if codes not in code_sets:
            raise ContractError(f"{table}.{spec['name']}: unknown code set {codes!r}")
        codes = code_sets[codes]
    elif codes is not None:
        codes = tuple(str(v) for v in codes)
    if not spec.get("personal") and not spec.get("as"):
        raise ContractError(f"{table}.{spec['name']}: no domain name (as:) for staging")
    reference = spec.get("references")
    return Column(
        name=spec["name"],
        domain_name=spec.get("as") or spec["name"],
        type=spec["type"],
        required=bool(spec.get("required", False)),
        key=bool(spec.get("key", False)),
        references=tuple(reference.split(".", 1)) if reference else None,
        codes=codes,
        dated=spec.get("dated"),
        personal=bool(spec.get("personal", False)),
        extension=bool(spec.get("extension", False)),
        description=spec.get("description", ""),
    )


@cache
def raw_contract(path: Path | None = None) -> RawContract:
    doc = _load_yaml(path or MODELS_DIR / "raw_extract.yml")
    code_sets = {name: tuple(str(v) for v in values) for name, values in doc["code_sets"].items()}
    tables: dict[str, Table] = {}
    for table_name, spec in doc["tables"].items():
        columns = tuple(_column(table_name, c, code_sets) for c in spec["columns"])
        names = {c.name for c in columns}
        domain_names = [c.domain_name for c in columns]
        if len(set(domain_names)) != len(domain_names):
            raise ContractError(f"{table_name}: two columns share a domain name")
        primary_key = tuple(spec["primary_key"])
        intervals = tuple(tuple(pair) for pair in spec.get("intervals", []))
        for name in (*primary_key, *(c for pair in intervals for c in pair)):
            if name not in names:
                raise ContractError(f"{table_name}: {name} named in keys/intervals but not a column")
        tables[table_name] = Table(
            name=table_name,
            required=bool(spec["required"]),
            description=spec.get("description", ""),
            primary_key=primary_key,
            columns=columns,
            person_column=spec.get("person_column"),
            before_birth=bool(spec.get("before_birth", False)),
            intervals=intervals,
            extension=bool(spec.get("extension", False)),
        )
    for table in tables.values():
        for c in table.columns:
            if c.references and (
                c.references[0] not in tables or c.references[1] not in tables[c.references[0]].column_names
            ):
                raise ContractError(f"{table.name}.{c.name}: reference {c.references} does not exist")
    return RawContract(
        version=doc["version"], csv_date_formats=tuple(doc["csv_date_formats"]), code_sets=code_sets, tables=tables
    )


@cache
def catalogue(path: Path | None = None) -> Catalogue:
    doc = _load_yaml(path or MODELS_DIR / "measures.yml")
    sections = {s["id"]: s["name"] for s in doc["sections"]}
    families = {f["id"]: f["name"] for f in doc["families"]}
    defaults = doc.get("defaults", {})
    tables = raw_contract().tables
    measures: dict[str, Measure] = {}
    for m in doc["measures"]:
        where = f"measure {m['id']}"
        if m["id"] in measures:
            raise ContractError(f"{where} is defined twice")
        if m["section"] not in sections:
            raise ContractError(f"{where}: unknown section {m['section']}")
        if m.get("family") not in families:
            raise ContractError(f"{where}: unknown family {m.get('family')}")
        for table in m["requires"]:
            if table not in tables:
                raise ContractError(f"{where}: requires unknown table {table}")
        if m["polarity"] not in ("H", "L", "T", None):
            raise ContractError(f"{where}: polarity must be H, L, T or null")
        if m["attribution"] not in ATTRIBUTIONS:
            raise ContractError(f"{where}: attribution must be one of {', '.join(ATTRIBUTIONS)}")
        is_target_polarity = m["polarity"] == "T"
        measures[m["id"]] = Measure(
            id=m["id"],
            spec_no=m["spec_no"],
            scorecard_no=m.get("scorecard_no"),
            name=m["name"],
            section=m["section"],
            family=m["family"],
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
            green_band=m.get("green_band", defaults.get("t_green_band")) if is_target_polarity else None,
            red_band=m.get("red_band", defaults.get("t_red_band")) if is_target_polarity else None,
            core_monitoring=bool(m.get("core_monitoring", False)),
        )
    return Catalogue(version=doc["version"], sections=sections, families=families, measures=measures)
