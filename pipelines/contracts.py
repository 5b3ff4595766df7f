"""Typed access to the declarative contracts in ``models/``.

``models/raw_extract.yml`` (the raw extract schema) and ``models/measures.yml`` (the measure
catalogue) are the single source of truth; the loader, the generated dbt sources and staging
views, the data-quality rules, the publisher and the docs all read them through this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
class Derivation:
    """A column a script may leave out, taken from the parent row another column points to."""

    column: str  # the column of this table that points to the parent
    parent_table: str
    parent_key: str
    parent_value: str


@dataclass(frozen=True)
class Column:
    name: str  # the SSD name, as in the extract
    domain_name: str  # the name staging gives it, which every model downstream uses
    type: str
    required: bool = False  # not null on every row (when the column is in the file)
    key: bool = False
    references: tuple[str, str] | None = None  # (table, column)
    code_set: str | None = None  # the name of its code set, for the value maps
    codes: tuple[str, ...] | None = None
    open_codes: bool = False  # values outside the code set are kept and reported
    dated: str | None = None  # "event" | "due"
    reported_only: bool = False  # no measure reads it: checked and reported, never quarantines
    extension: bool = False  # added by this contract, not in the SSD specification
    origin: str | None = None  # a system whose script writes it though the specification does not
    aliases: tuple[str, ...] = ()
    derived_from: Derivation | None = None
    description: str = ""

    @property
    def column_type(self) -> ColumnType:
        return COLUMN_TYPES[self.type]

    @property
    def may_be_absent(self) -> bool:
        """Whether a file may lack the column (it is then null, or derived from its parent row)."""
        return not (self.required or self.key) or self.extension or self.derived_from is not None

    @property
    def is_person_cohort(self) -> bool:
        """A reference to ssd_person: rows outside the person cohort are left out, not quarantined."""
        return self.references == ("ssd_person", "pers_person_id")


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
    reported_only: bool = False  # no measure reads the table
    ignored_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # reason -> SSD columns never loaded

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    def is_read_by_measures(self, column: Column) -> bool:
        return not (self.reported_only or column.reported_only)

    @property
    def staged_columns(self) -> list[Column]:
        """The columns staging selects: those a measure reads."""
        return [c for c in self.columns if self.is_read_by_measures(c)]

    @property
    def known_column_names(self) -> set[str]:
        """Every name this contract knows for the table's columns: read, aliased or knowingly ignored."""
        names = {c.name for c in self.columns} | {alias for c in self.columns for alias in c.aliases}
        return names | {name for ignored in self.ignored_columns.values() for name in ignored}


@dataclass(frozen=True)
class RawContract:
    version: int
    ssd_versions: tuple[str, ...]
    code_sets: dict[str, tuple[str, ...]]
    tables: dict[str, Table]

    @property
    def required_tables(self) -> list[str]:
        return [t for t, spec in self.tables.items() if spec.required]

    def knows_ssd_version(self, version: str | None) -> bool:
        """A release this contract knows: exactly ("1.4.5") or as its series ("1.2", "v1.2" - any 1.2.x)."""
        if not version:
            return False
        wanted = version.strip().lower().removeprefix("v").split(".")
        return any(known.split(".")[: len(wanted)] == wanted for known in self.ssd_versions)


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
    # extension columns the measure reads, as (table, column); when the extract lacks one the
    # measure is unavailable, or - with without_columns: extract_month_only - published for the
    # extract's own month only
    requires_columns: tuple[tuple[str, str], ...] = ()
    without_columns: str = "unavailable"
    # the measure counts the UASC part of another measure's population (uasc_cla_count of
    # cla_count): disclosure control treats the two as one table, all = excl_uasc + this
    uasc_part_of: str | None = None

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
WITHOUT_COLUMNS = ("unavailable", "extract_month_only")


# libyaml's parser where PyYAML has it (the same documents, ~6x faster than pure Python: every
# process of a run reads the contracts, dbt's Python model included)
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_SAFE_LOADER)


def _column(table: str, spec: dict, code_sets: dict[str, tuple[str, ...]]) -> Column:
    where = f"{table}.{spec['name']}"
    if spec["type"] not in COLUMN_TYPES:
        raise ContractError(f"{where}: unknown type {spec['type']!r}")
    code_set = spec.get("codes")
    if code_set is not None and code_set not in code_sets:
        raise ContractError(f"{where}: unknown code set {code_set!r}")
    if not spec.get("as"):
        raise ContractError(f"{where}: no domain name (as:) for staging")
    reference = spec.get("references")
    derivation = spec.get("derived_from")
    if derivation:
        parent_table, parent_key = derivation["parent"].split(".", 1)
        derivation = Derivation(derivation["column"], parent_table, parent_key, derivation["value"])
    return Column(
        name=spec["name"],
        domain_name=spec["as"],
        type=spec["type"],
        required=bool(spec.get("required", False)),
        key=bool(spec.get("key", False)),
        references=tuple(reference.split(".", 1)) if reference else None,
        code_set=code_set,
        codes=code_sets[code_set] if code_set else None,
        open_codes=bool(spec.get("open_codes", False)),
        dated=spec.get("dated"),
        reported_only=bool(spec.get("reported_only", False)),
        extension=bool(spec.get("extension", False)),
        origin=spec.get("origin"),
        aliases=tuple(spec.get("aliases", ())),
        derived_from=derivation,
        description=spec.get("description", ""),
    )


def _check_table(table: Table, tables: dict[str, Table]) -> None:
    names = set(table.column_names)
    for c in table.columns:
        where = f"{table.name}.{c.name}"
        if c.references and (
            c.references[0] not in tables or c.references[1] not in tables[c.references[0]].column_names
        ):
            raise ContractError(f"{where}: reference {c.references} does not exist")
        derivation = c.derived_from
        if derivation and (
            derivation.column not in names
            or derivation.parent_table not in tables
            or not {derivation.parent_key, derivation.parent_value} <= set(tables[derivation.parent_table].column_names)
        ):
            raise ContractError(f"{where}: cannot be derived as {derivation}")
        if set(c.aliases) & (names - {c.name}):
            raise ContractError(f"{where}: an alias is another column's name")
        if c.open_codes and not c.codes:
            raise ContractError(f"{where}: open_codes needs a code set")


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
            description=" ".join(str(spec.get("description", "")).split()),
            primary_key=primary_key,
            columns=columns,
            person_column=spec.get("person_column"),
            before_birth=bool(spec.get("before_birth", False)),
            intervals=intervals,
            extension=bool(spec.get("extension", False)),
            reported_only=bool(spec.get("reported_only", False)),
            ignored_columns={reason: tuple(cols) for reason, cols in (spec.get("ignored_columns") or {}).items()},
        )
    for table in tables.values():
        _check_table(table, tables)
    return RawContract(
        version=doc["version"],
        ssd_versions=tuple(str(v) for v in doc["ssd_versions"]),
        code_sets=code_sets,
        tables=tables,
    )


def _required_columns(where: str, spec: dict, tables: dict[str, Table]) -> tuple[tuple[str, str], ...]:
    columns = []
    for qualified in spec.get("requires_columns", []):
        table, column = qualified.split(".", 1)
        if table not in tables or column not in tables[table].column_names:
            raise ContractError(f"{where}: requires unknown column {qualified}")
        if not tables[table].column(column).may_be_absent:
            raise ContractError(f"{where}: {qualified} is always in an extract")
        columns.append((table, column))
    if spec.get("without_columns", "unavailable") not in WITHOUT_COLUMNS:
        raise ContractError(f"{where}: without_columns must be one of {', '.join(WITHOUT_COLUMNS)}")
    return tuple(columns)


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
            requires_columns=_required_columns(where, m, tables),
            without_columns=m.get("without_columns", "unavailable"),
            uasc_part_of=m.get("uasc_part_of"),
        )
    for m in measures.values():
        whole = measures.get(m.uasc_part_of) if m.uasc_part_of else None
        if m.uasc_part_of and (whole is None or not whole.uasc_split or m.uasc_split or whole.unit != m.unit):
            raise ContractError(
                f"measures.{m.id}.uasc_part_of: {m.uasc_part_of} must be a measure of the same unit published "
                "with and without UASC"
            )
    return Catalogue(version=doc["version"], sections=sections, families=families, measures=measures)
