"""The data-quality rules, derived from the raw extract contract: every rule lives here once.

Each rule is evaluated by the engine that suits it: per-column rules (required values, code
sets, end >= start) by Great Expectations suites on pandas batches; relational rules (unique
keys, foreign keys, dates against the extract date and the person's birth) in SQL on DuckDB,
where they are a join rather than a scan per value. `expectations/` holds the generated GX
suites and the relational rules as reviewable files (`cscw codegen`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..contracts import RawContract, Table, raw_contract

ROW = "_row_number"  # 1-based data row of the source file (CSV line = row + 1)


@dataclass(frozen=True)
class Rule:
    id: str
    table: str
    column: str
    # not_null | in_code_set | end_not_before_start | unique_key | references | in_person_cohort
    # | not_after_extract | not_before_birth
    kind: str
    engine: str  # gx | sql
    description: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    # a row breaking the rule is left out of the measures (quarantined); False for columns no
    # measure reads, whose problems are only reported
    quarantines: bool = True
    # the rows it quarantines count towards the share of a table that blocks publication; False
    # for rows outside the person cohort, which scripts write and which are only left out
    counts_towards_share: bool = True

    def expectation(self):
        """The Great Expectations expectation for a GX rule (imported lazily: GX is slow to load)."""
        import great_expectations.expectations as gxe

        meta = {"rule_id": self.id}
        if self.kind == "not_null":
            return gxe.ExpectColumnValuesToNotBeNull(column=self.column, meta=meta)
        if self.kind == "in_code_set":
            return gxe.ExpectColumnValuesToBeInSet(column=self.column, value_set=list(self.params["codes"]), meta=meta)
        if self.kind == "end_not_before_start":
            return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=self.column,
                column_B=self.params["start"],
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=meta,
            )
        raise ValueError(f"{self.id} is not a Great Expectations rule")

    def violations_sql(self, schema: str = "raw") -> str:
        """SQL returning (_row_number, offending_value) for every row breaking a SQL rule.
        `$extracted_at` is bound to the extract's date."""
        t, c = f"{schema}.{self.table}", self.column
        if self.kind == "unique_key":
            keys = self.params["key"]
            cols = ", ".join(keys)
            value = " || '|' || ".join(f"coalesce(cast({k} as varchar), '')" for k in keys)
            return (
                f"select {ROW}, {value} as offending_value from ("
                f"select {ROW}, {cols}, row_number() over (partition by {cols} order by {ROW}) as occurrence "
                f"from {t} where {' and '.join(f'{k} is not null' for k in keys)}) where occurrence > 1"
            )
        if self.kind in ("references", "in_person_cohort"):
            ref_table, ref_col = self.params["table"], self.params["column"]
            return (
                f"select child.{ROW}, cast(child.{c} as varchar) as offending_value from {t} as child "
                f"where child.{c} is not null and not exists "
                f"(select 1 from {schema}.{ref_table} as parent where parent.{ref_col} = child.{c})"
            )
        if self.kind == "not_after_extract":
            return (
                f"select {ROW}, cast({c} as varchar) as offending_value from {t} "
                f"where {c} > cast($extracted_at as date)"
            )
        if self.kind == "not_before_birth":
            person = self.params["person_column"]
            return (
                f"select event.{ROW}, cast(event.{c} as varchar) as offending_value from {t} as event "
                f"join {schema}.ssd_person as person on person.pers_person_id = event.{person} "
                f"where event.{c} < person.pers_dob"
            )
        raise ValueError(f"{self.id} is not a SQL rule")


# The row-level relational rules, checked together in one scan of their table (one_pass_sql)
# rather than a query each: nationally 55 s for the references, cohort and birth rules alone, a
# third of that in one pass (README "Scale"). Unique keys keep their own query: a window over the
# whole table, slower folded into the pass (CIN visits 13.2 -> 16.8 s).
ONE_PASS_KINDS = ("references", "in_person_cohort", "not_after_extract", "not_before_birth")
PERSON_KEY = ("ssd_person", "pers_person_id")


def one_pass_rules(rules: list[Rule]) -> tuple[list[Rule], list[Rule]]:
    """The rules of one table that one_pass_sql checks together, and the others (each its own
    violations_sql). The pass joins the person once, on the birth rules' person column: a cohort
    rule on another column, or a second person column, is checked on its own."""
    candidates = [r for r in rules if r.engine == "sql" and r.kind in ONE_PASS_KINDS]
    person_columns = {r.params["person_column"] for r in candidates if r.kind == "not_before_birth"}
    cohort_columns = {r.column for r in candidates if r.kind == "in_person_cohort" and _refers_to_person(r)}
    joined = next(iter(person_columns)) if len(person_columns) == 1 else None
    if not person_columns and len(cohort_columns) == 1:
        joined = next(iter(cohort_columns))
    together = [
        r
        for r in candidates
        if (r.kind != "not_before_birth" or r.params["person_column"] == joined)
        and (r.kind != "in_person_cohort" or r.column == joined or not _refers_to_person(r))
    ]
    return together, [r for r in rules if r.engine == "sql" and r not in together]


def _refers_to_person(rule: Rule) -> bool:
    return (rule.params["table"], rule.params["column"]) == PERSON_KEY


def one_pass_sql(table: str, rules: list[Rule], schema: str = "raw") -> str:
    """One scan of ``table`` for ``rules`` (the first list of one_pass_rules): every row breaking
    any of them, as _row_number then, per rule in order, whether the row breaks it and its
    offending value. What each rule finds is what its own violations_sql finds: a row is joined
    to each person row holding its person id, so a birth rule is broken once per such row, as
    there, and every other rule's hits are taken once per row (`one_pass_hits`).
    `$extracted_at` is bound to the extract's date when a rule compares with it."""
    if not rules:
        raise ValueError(f"no rules to check in one pass over {table}")
    person_column = next(
        (r.params["person_column"] for r in rules if r.kind == "not_before_birth"),
        next((r.column for r in rules if r.kind == "in_person_cohort" and _refers_to_person(r)), None),
    )
    person_table, person_key = PERSON_KEY
    columns = []
    for i, rule in enumerate(rules):
        c = f"t.{rule.column}"
        if rule.kind in ("references", "in_person_cohort") and rule.column == person_column and _refers_to_person(rule):
            broken = f"{c} is not null and person.{person_key} is null"
        elif rule.kind in ("references", "in_person_cohort"):
            parent, key = rule.params["table"], rule.params["column"]
            broken = f"{c} is not null and {c} not in (select {key} from {schema}.{parent} where {key} is not null)"
        elif rule.kind == "not_after_extract":
            broken = f"coalesce({c} > cast($extracted_at as date), false)"
        elif rule.kind == "not_before_birth":
            broken = f"coalesce({c} < person.pers_dob, false)"
        else:
            raise ValueError(f"{rule.id} is not checked in one pass")
        columns += [f"({broken}) as broken_{i}", f"cast({c} as varchar) as value_{i}"]
    join = (
        f" left join {schema}.{person_table} as person on person.{person_key} = t.{person_column}"
        if person_column
        else ""
    )
    return (
        f"select * from (select t.{ROW}, {', '.join(columns)} from {schema}.{table} as t{join}) "
        f"where {' or '.join(f'broken_{i}' for i in range(len(rules)))}"
    )


def one_pass_hits(rules: list[Rule], found: list[tuple]) -> dict[str, list[tuple[int, str | None]]]:
    """The rows of one_pass_sql, as (row, offending value) per rule id that any row breaks."""
    hits: dict[str, list[tuple[int, str | None]]] = {}
    for i, rule in enumerate(rules):
        rows = [(int(r[0]), r[2 + 2 * i]) for r in found if r[1 + 2 * i]]
        if rule.kind != "not_before_birth":
            rows = list(dict.fromkeys(rows))  # once per row, whatever the person join repeated
        if rows:
            hits[rule.id] = rows
    return hits


def _column_rules(table: Table, column) -> list[Rule]:
    name, c = table.name, column
    rules: list[Rule] = []
    if c.required or c.key:
        rules.append(Rule(f"{name}.{c.name}.not_null", name, c.name, "not_null", "gx", f"{c.name} is present"))
    if c.codes and not c.open_codes:
        rules.append(
            Rule(
                f"{name}.{c.name}.in_code_set",
                name,
                c.name,
                "in_code_set",
                "gx",
                f"{c.name} is one of its code set",
                {"codes": list(c.codes)},
            )
        )
    if c.is_person_cohort:
        rules.append(
            Rule(
                f"{name}.{c.name}.in_person_cohort",
                name,
                c.name,
                "in_person_cohort",
                "sql",
                f"{c.name} is a person in ssd_person (rows outside the cohort are left out)",
                {"table": c.references[0], "column": c.references[1]},
                counts_towards_share=False,
            )
        )
    elif c.references:
        rules.append(
            Rule(
                f"{name}.{c.name}.references",
                name,
                c.name,
                "references",
                "sql",
                f"{c.name} resolves to {c.references[0]}.{c.references[1]}",
                {"table": c.references[0], "column": c.references[1]},
            )
        )
    if c.type == "date" and c.dated == "event":
        rules.append(
            Rule(
                f"{name}.{c.name}.not_after_extract",
                name,
                c.name,
                "not_after_extract",
                "sql",
                f"{c.name} is not after the extract was taken",
            )
        )
        if table.person_column and not table.before_birth and name != "ssd_person":
            rules.append(
                Rule(
                    f"{name}.{c.name}.not_before_birth",
                    name,
                    c.name,
                    "not_before_birth",
                    "sql",
                    f"{c.name} is not before the person's birth",
                    {"person_column": table.person_column},
                )
            )
    return rules


def _table_rules(table: Table) -> list[Rule]:
    name = table.name
    read = not table.reported_only
    rules: list[Rule] = [
        Rule(
            f"{name}.primary_key.unique",
            name,
            ",".join(table.primary_key),
            "unique_key",
            "sql",
            f"{', '.join(table.primary_key)} identifies one row",
            {"key": list(table.primary_key)},
            quarantines=read,
            counts_towards_share=read,
        )
    ]
    for column in table.columns:
        for rule in _column_rules(table, column):
            if not table.is_read_by_measures(column):
                rule = replace(rule, quarantines=False, counts_towards_share=False)
            rules.append(rule)
    for start, end in table.intervals:
        reported_only = not (
            table.is_read_by_measures(table.column(start)) and table.is_read_by_measures(table.column(end))
        )
        rules.append(
            Rule(
                f"{name}.{end}.not_before_{start}",
                name,
                end,
                "end_not_before_start",
                "gx",
                f"{end} is not before {start}",
                {"start": start},
                quarantines=not reported_only,
                counts_towards_share=not reported_only,
            )
        )
    return rules


def raw_rules(contract: RawContract | None = None) -> list[Rule]:
    contract = contract or raw_contract()
    return [r for t in contract.tables.values() for r in _table_rules(t)]


def rules_for(table: str) -> list[Rule]:
    return [r for r in raw_rules() if r.table == table]
