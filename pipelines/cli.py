"""cscw: the command line of the children's social care warehouse.

    cscw generate --out DIR [--children N | --scale kent|national] [--years 10] [--end 2016-03-31] [--seed 42] [--dirty]
    cscw run --source DIR [--warehouse DIR] [--as-at DATE]
    cscw validate --source DIR
    cscw demo
    cscw scorecard [--month YYYY-MM] [--org-unit ID] [--warehouse DIR]
    cscw codegen | prepare
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

from . import settings

STAGES = ("load", "raw checks", "dbt", "measure checks", "publish")


def _die(message: str, code: int = 1) -> int:
    print(f"cscw: error: {message}", file=sys.stderr)
    return code


# --- generate -----------------------------------------------------------------------------
def cmd_generate(args: argparse.Namespace) -> int:
    from .synthetic import generate

    t0 = time.perf_counter()
    if args.dirty and args.format == "parquet":
        return _die("--dirty writes CSV extracts only")
    result = generate(args.out, scale=args.scale, children=args.children, years=args.years,
                      end=args.end, seed=args.seed, fmt="csv" if args.dirty else args.format)
    total = sum(result.row_counts.values())
    if args.dirty:
        from .synthetic.dirty import inject_defects

        found = inject_defects(result.out_dir)
        print(f"injected {sum(len(v) for v in found.values())} defects of {len(found)} kinds "
              "(listed in manifest.json under injected_defects)")
    print(f"wrote {len(result.row_counts)} tables, {total:,} rows, to {result.out_dir} "
          f"in {time.perf_counter() - t0:.1f} s (extract {result.manifest['extract_id']})")
    return 0


# --- run ----------------------------------------------------------------------------------
def _stage_of(key) -> str:
    path = key.path
    if path[0] == "raw":
        return "load"
    if path[0] == "published":
        return "publish"
    if path[0] == "quarantine" or path == ["quality", "raw_extract_gate"]:
        return "raw checks"
    if path[0] == "quality":
        return "measure checks"
    return "dbt"


def _failure_message(result) -> str:
    messages = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            # the innermost cause says what went wrong, unless ours (naming file, row, column) comes first
            err = event.step_failure_data.error
            while err.cause is not None and err.cls_name not in ("ExtractError", "PublishError"):
                err = err.cause
            messages.append(f"{event.step_key}: {err.message.strip()}")
    return "\n  ".join(messages) or "the run failed (see the Dagster logs)"


def run_pipeline(source: Path, warehouse: Path | None = None, *, quiet: bool = False,
                 stages: tuple[str, ...] = STAGES) -> dict[str, float]:
    """Run the nightly_refresh job in process, stage by stage. Returns wall time per stage."""
    os.environ["CSCW_SOURCE"] = str(Path(source).resolve())
    if warehouse is not None:
        os.environ["CSCW_WAREHOUSE_DIR"] = str(Path(warehouse).resolve())
    settings.export_dbt_env()
    from .dbt_project import prepare

    prepare()
    import dagster as dg

    from .definitions import defs

    job = defs.resolve_job_def("nightly_refresh")
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    by_stage = {s: sorted((k for k in keys if _stage_of(k) == s), key=lambda k: k.to_user_string()) for s in STAGES}
    timings: dict[str, float] = {}
    with dg.DagsterInstance.ephemeral() as instance:
        for stage in stages:
            if not quiet:
                print(f"[{stage:>7}] {len(by_stage[stage])} assets ...", flush=True)
            t0 = time.perf_counter()
            # dbt's own log lines are streamed to stdout; the stage summary is what a person needs
            with contextlib.redirect_stdout(io.StringIO()):
                result = job.execute_in_process(
                    instance=instance, asset_selection=by_stage[stage], raise_on_error=False,
                    run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
                    tags={"cscw/stage": stage},
                )
            timings[stage] = time.perf_counter() - t0
            if not result.success:
                raise PipelineFailed(stage, _failure_message(result))
            if not quiet:
                print(f"[{stage:>7}] done in {timings[stage]:.1f} s", flush=True)
    return timings


class PipelineFailed(RuntimeError):
    def __init__(self, stage: str, message: str):
        super().__init__(f"stage {stage} failed:\n  {message}")
        self.stage = stage


def quality_summary(warehouse_path: Path, extract_id: str) -> list[str]:
    """What the gate checked, quarantined and blocked for an extract, as lines for a person."""
    import duckdb

    if not warehouse_path.exists():
        return []
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        if not con.execute("select count(*) from information_schema.tables where table_schema = 'quality' "
                           "and table_name = 'data_quality'").fetchone()[0]:
            return []
        rules, failed = con.execute(
            "select count(*), count(*) filter (where not passed) from quality.data_quality "
            "where extract_id = ? and rule_id not like '%.quarantine_share'", [extract_id]).fetchone()
        tables = con.execute(
            "select table_name, rows_checked, rows_failed, passed, detail from quality.data_quality "
            "where extract_id = ? and rule_id like '%.quarantine_share' order by table_name", [extract_id]).fetchall()
        problems = con.execute(
            "select stage, rule_id, rows_failed, blocking, detail, table_name from quality.data_quality "
            "where extract_id = ? and not passed and rule_id not like '%.quarantine_share' "
            "order by blocking desc, rows_failed desc limit 25", [extract_id]).fetchall()
    finally:
        con.close()
    rows = sum(t[1] for t in tables)
    quarantined = sum(t[2] for t in tables)
    lines = [f"checked {rows:,} rows of {len(tables)} tables against {rules} rules; "
             f"{quarantined:,} rows quarantined; {failed} rules found problems"]
    for table, checked, bad, passed, detail in tables:
        if bad or not passed:
            lines.append(f"  {'BLOCKS' if not passed else 'quarantined'} {table}: {bad:,} of {checked:,} rows"
                         + (f" - {detail}" if detail else ""))
    for stage, rule_id, bad, blocking, detail, table in problems:
        label = "BLOCKS" if blocking else "quarantined" if stage == "raw" and table else "warning"
        lines.append(f"  {label} [{stage}] {rule_id}: {bad:,} {'rows' if table else 'found'} ({detail})")
    return lines


def cmd_run(args: argparse.Namespace) -> int:
    source = Path(args.source)
    if not (source / "manifest.json").is_file():
        return _die(f"{source} is not an extract folder (no manifest.json)")
    if args.as_at:
        from .extract import read_manifest

        manifest = read_manifest(source)
        if manifest.period_end != args.as_at:
            return _die(f"--as-at {args.as_at} does not match the extract's period_end {manifest.period_end}")
    from .extract import ExtractError, read_manifest

    try:
        extract_id = read_manifest(source).extract_id
    except ExtractError as exc:
        return _die(str(exc))
    try:
        timings = run_pipeline(source, args.warehouse)
    except PipelineFailed as exc:
        print(f"cscw: run failed, nothing was published. {exc}", file=sys.stderr)
        for line in quality_summary(settings.working_warehouse_path(), extract_id):
            print(line, file=sys.stderr)
        return 1
    for line in quality_summary(settings.working_warehouse_path(), extract_id):
        print(line)
    print(f"published {settings.published_path()} (total {sum(timings.values()):.1f} s)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Load the extract into a scratch warehouse and run only the raw checks."""
    import tempfile

    source = Path(args.source)
    if not (source / "manifest.json").is_file():
        return _die(f"{source} is not an extract folder (no manifest.json)")
    from .extract import ExtractError, read_manifest

    try:
        extract_id = read_manifest(source).extract_id
    except ExtractError as exc:
        return _die(str(exc))
    with tempfile.TemporaryDirectory(prefix="cscw-validate-") as scratch:
        try:
            run_pipeline(source, Path(scratch), stages=("load", "raw checks"))
            code = 0
        except PipelineFailed as exc:
            print(f"cscw: the extract would not be published. {exc}", file=sys.stderr)
            code = 1
        lines = quality_summary(Path(scratch) / "warehouse.duckdb", extract_id)
    print(f"validation of {source} (extract {extract_id})")
    for line in lines:
        print(line)
    print("result: " + ("passes the gate" if code == 0 else "BLOCKED"))
    return code


# --- scorecard ----------------------------------------------------------------------------
COLOURS = {"Green": "\033[32m", "Amber": "\033[33m", "Red": "\033[31m"}


def _fmt(value, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def scorecard_rows(published: Path, month: str | None = None, org_unit: str = "LA"):
    """The scorecard and its performance summary for a month (default: the latest) and org unit."""
    import duckdb

    con = duckdb.connect(str(published), read_only=True)
    try:
        if month:
            period_end = con.execute(
                "select max(period_end) from scorecard where strftime(period_end, '%Y-%m') = ?", [month]
            ).fetchone()[0]
            if period_end is None:
                raise ValueError(f"no results published for {month}")
        else:
            period_end = con.execute("select max(period_end) from scorecard").fetchone()[0]
        if not con.execute("select count(*) from scorecard where org_unit = ?", [org_unit]).fetchone()[0]:
            raise ValueError(f"unknown org unit {org_unit!r} (see the org_units table)")
        rows = con.execute(
            """
            select section, scorecard_no, measure_id, indicator, polarity, data_period, unit,
                   latest_result, rag, numerator, denominator, target, previous_result, dot_from_previous,
                   outturn_result, dot_from_outturn, unavailable_reason
            from scorecard where org_unit = ? and period_end = ?
            order by section_order, coalesce(scorecard_no, 1000), measure_order
            """,
            [org_unit, period_end],
        ).fetchall()
        summary = con.execute(
            "select green, amber, red, improved_from_previous, same_as_previous, worse_than_previous, "
            "improved_from_outturn, same_as_outturn, worse_than_outturn from scorecard_summary "
            "where org_unit = ? and period_end = ?", [org_unit, period_end]).fetchone()
    finally:
        con.close()
    return period_end, rows, summary


ARROWS = {"improved": "\u2191", "same": "\u2192", "worse": "\u2193", None: ""}


def _count(n: float | None, unit: str) -> str:
    if n is None or unit == "count":
        return "-"
    return f"{n:,.1f}".rstrip("0").rstrip(".")


def cmd_scorecard(args: argparse.Namespace) -> int:
    published = Path(args.warehouse).resolve() / "published.duckdb" if args.warehouse else settings.published_path()
    if not published.exists():
        return _die(f"nothing published yet at {published}: run `cscw run` or `cscw demo` first")
    try:
        period_end, rows, summary = scorecard_rows(published, args.month, args.org_unit)
    except ValueError as exc:
        return _die(str(exc))
    colour = (sys.stdout.isatty() and not os.environ.get("NO_COLOR")) or bool(os.environ.get("FORCE_COLOR"))
    print(f"Scorecard - {args.org_unit} - {period_end:%b %Y}")
    print(f"{'ID':>3}  {'Indicator':<62} {'Pol':<3} {'Per':<4} {'Result':>8} {'RAG':<5} {'Num':>9} "
          f"{'Denom':>9} {'Target':>7} {'Prev':>8} {'':1} {'Outturn':>8} {'':1}")
    section = None
    for (sect, no, mid, name, pol, period, unit, value, rag, num, den, target, prev, dot_prev,
         outturn, dot_out, reason) in rows:
        if sect != section:
            print(f"\n{sect.upper()}")
            section = sect
        rag_text = f"{rag or '':<5}"
        if colour and rag:
            rag_text = f"{COLOURS[rag]}{rag:<5}\033[0m"
        result = _fmt(value, unit) if reason is None else "n/a"
        print(f"{no or '':>3}  {name[:62]:<62} {pol or '':<3} {period:<4} {result:>8} {rag_text} {_count(num, unit):>9} "
              f"{_count(den, unit):>9} {_fmt(target, unit) if target is not None else '':>7} "
              f"{_fmt(prev, unit):>8} {ARROWS[dot_prev]:1} {_fmt(outturn, unit):>8} {ARROWS[dot_out]:1}")
        if reason:
            print(f"     ({mid}: {reason})")
    if summary:
        g, a, r, ip, sp, wp, io, so, wo = summary
        print(f"\nPERFORMANCE SUMMARY\nAs at {period_end:%d/%m/%Y}, {args.org_unit} has {g} indicators rated as Green, "
              f"{a} rated as Amber and {r} rated as Red. Against last month {ip} indicators improved, {sp} "
              f"remained the same and {wp} worsened; against the outturn {io} improved, {so} remained the same "
              f"and {wo} worsened.")
    return 0


# --- demo, codegen, prepare ---------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    out = settings.extracts_dir() / "demo-kent"
    print(f"generating the default synthetic Kent extract into {out} ...")
    cmd_generate(argparse.Namespace(out=out, scale="kent", children=None, years=10, end=date(2016, 3, 31),
                                    seed=42, format=None, dirty=False))
    code = cmd_run(argparse.Namespace(source=out, warehouse=None, as_at=None))
    if code:
        return code
    return cmd_scorecard(argparse.Namespace(month=None, org_unit="LA", warehouse=None))


def cmd_codegen(args: argparse.Namespace) -> int:
    from . import dbt_codegen
    from .quality import suites

    written = dbt_codegen.write() + suites.write()
    print(f"{len(written)} generated files (dbt sources and staging, expectation suites) rewritten from models/")
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    from .dbt_project import prepare

    print(f"dbt manifest at {prepare(force=True)}")
    return 0


def _date(s: str) -> date:
    return date.fromisoformat(s)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cscw", description="Children's social care performance warehouse")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="write a synthetic SSD extract")
    g.add_argument("--out", required=True, type=Path)
    size = g.add_mutually_exclusive_group()
    size.add_argument("--children", type=int, help="children first referred over the reported years")
    size.add_argument("--scale", choices=["kent", "national"], default="kent")
    g.add_argument("--years", type=int, default=10)
    g.add_argument("--end", type=_date, default=date(2016, 3, 31))
    g.add_argument("--seed", type=int, default=42)
    g.add_argument("--format", choices=["csv", "parquet"], default=None)
    g.add_argument("--dirty", action="store_true", help="inject a known set of row-level defects")
    g.set_defaults(func=cmd_generate)

    r = sub.add_parser("run", help="run the nightly refresh on an extract folder")
    r.add_argument("--source", required=True, type=Path)
    r.add_argument("--warehouse", type=Path, default=None)
    r.add_argument("--as-at", type=_date, default=None, help="the period end the extract must cover")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="run only the checks on an extract and print a report")
    v.add_argument("--source", required=True, type=Path)
    v.set_defaults(func=cmd_validate)

    d = sub.add_parser("demo", help="generate the default extract, run and publish")
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("scorecard", help="print the scorecard from the published warehouse")
    s.add_argument("--month", default=None, help="YYYY-MM (default: latest)")
    s.add_argument("--org-unit", default="LA")
    s.add_argument("--warehouse", type=Path, default=None)
    s.set_defaults(func=cmd_scorecard)

    sub.add_parser("codegen", help="regenerate dbt sources/staging from the contract").set_defaults(func=cmd_codegen)
    sub.add_parser("prepare", help="dbt parse (writes the manifest Dagster loads)").set_defaults(func=cmd_prepare)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
