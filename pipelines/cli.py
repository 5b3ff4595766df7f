"""cscw: the command line of the children's social care warehouse.

    cscw generate --out DIR [--children N | --scale kent|national] [--years 10] [--end 2016-03-31] [--seed 42] [--dirty]
    cscw generate --next-night FROM --out DIR
    cscw run [--source DIR] [--warehouse DIR] [--as-at DATE] [--config FILE] [--force]
    cscw validate --source DIR [--config FILE] [--write-map FILE]
    cscw seal --source DIR
    cscw demo
    cscw scorecard [--month YYYY-MM] [--org-unit ID] [--warehouse DIR]
    cscw report [--month YYYY-MM] [--org-unit ID] [--format xlsx|pdf|html] [--out DIR] [--warehouse DIR]
    cscw explain MEASURE --month YYYY-MM [--org-unit ID] [--scope all|excl_uasc] [--out FILE.csv] [--warehouse DIR]
    cscw codegen | prepare

Each command parses its arguments and calls the module that does the work.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from . import settings


def _die(message: str, code: int = 1) -> int:
    print(f"cscw: error: {message}", file=sys.stderr)
    return code


def _extract_id(source: Path) -> str:
    """The extract's id from its manifest; raises ExtractError naming the file when it is unreadable."""
    from .extract import read_manifest

    return read_manifest(source).extract_id


# --- generate -----------------------------------------------------------------------------
def cmd_generate(args: argparse.Namespace) -> int:
    from .synthetic import GenerateRefused

    started = time.perf_counter()
    if args.next_night is not None:
        return _generate_next_night(args, started)
    if (args.dirty or args.dialect) and args.format == "parquet":
        return _die("--dirty and --dialect write CSV extracts only")

    try:
        result = _generate(args)
    except GenerateRefused as exc:
        return _die(str(exc))
    if args.dirty:
        from .synthetic.dirty import inject_defects

        found = inject_defects(result.out_dir)
        print(
            f"injected {sum(len(v) for v in found.values())} defects of {len(found)} kinds "
            "(listed in manifest.json under injected_defects)"
        )
    print(
        f"wrote {len(result.row_counts)} tables, {sum(result.row_counts.values()):,} rows, to {result.out_dir} "
        f"in {time.perf_counter() - started:.1f} s (extract {result.manifest['extract_id']})"
    )
    return 0


def _generate_next_night(args: argparse.Namespace, started: float) -> int:
    from .synthetic import GenerateRefused
    from .synthetic.next_night import next_night

    try:
        manifest = next_night(args.next_night, args.out)
    except GenerateRefused as exc:
        return _die(str(exc))
    rows = sum(f["rows"] for f in manifest["files"].values())
    print(
        f"wrote the night after {manifest['generator']['next_night_of']} to {args.out}: {rows:,} rows, "
        f"{manifest['next_night']['rows_corrected']} corrected and the contacts of {manifest['next_night']['new_day']} "
        f"added, in {time.perf_counter() - started:.1f} s (extract {manifest['extract_id']})"
    )
    return 0


def _generate(args: argparse.Namespace):
    from .synthetic import generate

    return generate(
        args.out,
        dialect=args.dialect,
        scale=args.scale,
        children=args.children,
        years=args.years,
        end=args.end,
        seed=args.seed,
        fmt="csv" if args.dirty else args.format,
    )


# --- run and validate ---------------------------------------------------------------------
EXIT_BUSY = 75  # EX_TEMPFAIL: another run holds the warehouse; try again later


def cmd_run(args: argparse.Namespace) -> int:
    from .extract import ExtractError, read_manifest
    from .locking import WarehouseBusy
    from .quality.report import quality_summary
    from .runner import PipelineFailed, run_pipeline

    paths = settings.WarehousePaths(
        Path(args.warehouse).resolve() if args.warehouse else settings.default_warehouse_dir()
    )
    try:
        source = settings.resolve_source(args.source)  # chosen once: the run reads only this folder
        manifest = read_manifest(source)
    except ExtractError as exc:
        return _die(str(exc))
    if args.as_at and manifest.period_end != args.as_at:
        return _die(f"--as-at {args.as_at} does not match the extract's period_end {manifest.period_end}")
    print(f"extract {manifest.extract_id} from {source}", flush=True)
    try:
        timings = run_pipeline(source, paths.root, config_file=args.config, force=args.force)
    except WarehouseBusy as exc:
        print(f"cscw: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except PipelineFailed as exc:
        print(f"cscw: run failed, nothing was published. {exc}", file=sys.stderr)
        if exc.stage != "load":  # a failed load has checked nothing: older findings would mislead
            for line in quality_summary(paths.working, manifest.extract_id):
                print(line, file=sys.stderr)
        return 1
    for line in quality_summary(paths.working, manifest.extract_id):
        print(line)
    print(
        f"published {paths.published} and, under disclosure control, {paths.shareable} "
        f"(total {sum(timings.values()):.1f} s)"
    )
    print("reports: " + ", ".join(str(p) for p in _latest_reports(paths)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Load the extract into a scratch warehouse, run only the raw checks, and list what a council
    needs to fix or map: the gate's findings, and every value that maps to no code."""
    from .contracts import raw_contract
    from .extract import ExtractError
    from .quality.report import load_notes_by_column, quality_summary, unmapped_values
    from .runner import PipelineFailed, run_pipeline

    source = Path(args.source)
    try:
        extract_id = _extract_id(source)
    except ExtractError as exc:
        return _die(str(exc))
    with tempfile.TemporaryDirectory(prefix="cscw-validate-") as scratch:
        working = settings.WarehousePaths(Path(scratch)).working
        try:
            run_pipeline(source, Path(scratch), stages=("load", "raw checks"), config_file=args.config)
            code = 0
        except PipelineFailed as exc:
            print(f"cscw: the extract would not be published. {exc}", file=sys.stderr)
            code = 1
        lines = quality_summary(working, extract_id)
        by_column = load_notes_by_column(working, extract_id) if working.exists() else []
        unmapped = unmapped_values(working, extract_id) if working.exists() else []
    print(f"validation of {source} (extract {extract_id})")
    for line in lines:
        print(line)
    if by_column:
        print("values the load normalised, per column:")
        for line in by_column:
            print(line)
    contract = raw_contract()
    free_text = [u for u in unmapped if contract.tables[u[0]].column(u[1]).open_codes]
    coded = [u for u in unmapped if u not in free_text]
    if coded:
        print("values that map to no code (add them to your value map - see README, 'Running on your SSD'):")
        for table, column, value, rows in coded:
            print(f"  {table}.{column}: {value[:80]!r} ({rows:,} rows)")
    if free_text and args.show_free_text:
        print("free-text values kept as written (map any that mean one of the column's codes):")
        for table, column, value, rows in free_text:
            print(f"  {table}.{column}: {value[:80]!r} ({rows:,} rows)")
    elif free_text:
        # free text may hold anything a worker typed, names included: listed only when asked for
        columns = sorted({f"{table}.{column}" for table, column, _, _ in free_text})
        print(
            f"{len(free_text):,} distinct free-text values kept as written in {', '.join(columns)} "
            "(--show-free-text lists them, to map any that mean a code)"
        )
    listed = coded + (free_text if args.show_free_text else [])
    if args.write_map and listed:
        from .extract.value_maps import map_template

        args.write_map.write_text(map_template(listed, extract_id), encoding="utf-8")
        print(f"a value map to fill in: {args.write_map}")
    print("result: " + ("passes the gate" if code == 0 else "BLOCKED"))
    return code


# --- scorecard ----------------------------------------------------------------------------
def cmd_scorecard(args: argparse.Namespace) -> int:
    from .reports.terminal import scorecard_text

    root = Path(args.warehouse).resolve() if args.warehouse else settings.default_warehouse_dir()
    published = settings.WarehousePaths(root).published
    if not published.exists():
        return _die(f"nothing published yet at {published}: run `cscw run` or `cscw demo` first")
    colour = (sys.stdout.isatty() and not os.environ.get("NO_COLOR")) or bool(os.environ.get("FORCE_COLOR"))
    try:
        print(scorecard_text(published, args.month, args.org_unit, colour))
    except ValueError as exc:
        return _die(str(exc))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .reports.build import FORMATS, write_reports

    paths = settings.WarehousePaths(
        Path(args.warehouse).resolve() if args.warehouse else settings.default_warehouse_dir()
    )
    if not paths.published.exists():
        return _die(f"nothing published yet at {paths.published}: run `cscw run` or `cscw demo` first")
    formats = tuple(args.format) if args.format else FORMATS
    try:
        built = write_reports(
            paths.published, Path(args.out) if args.out else paths.reports, args.month, args.org_unit, formats
        )
    except ValueError as exc:
        return _die(str(exc))
    for report in built:
        print(f"{report.format:>4}: {report.path}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from .reports.explain import explain, write_private

    paths = settings.WarehousePaths(
        Path(args.warehouse).resolve() if args.warehouse else settings.default_warehouse_dir()
    )
    try:
        explanation = explain(paths.working, args.measure, args.month, args.org_unit, args.scope)
    except ValueError as exc:
        return _die(str(exc))
    if args.out:
        write_private(Path(args.out), explanation.csv_text())
        print(f"{len(explanation.rows)} records written to {args.out} (readable by you only: child-level data)")
    else:
        sys.stdout.write(explanation.csv_text())
    print(explanation.summary(), file=sys.stderr if not args.out else sys.stdout)
    return 0


# --- demo, codegen, prepare ---------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    """The default synthetic extract through the whole nightly run, in folders of its own
    (data/demo/): never where the nightly sensor looks for extracts, nor the real warehouse."""
    out, warehouse = settings.DEMO_DIR / "extract", settings.DEMO_DIR / "warehouse"
    print(f"generating the default synthetic Kent extract into {out} ...")
    cmd_generate(
        argparse.Namespace(
            out=out,
            scale="kent",
            children=None,
            years=10,
            end=date(2016, 3, 31),
            seed=42,
            format=None,
            dirty=False,
            dialect=None,
        )
    )
    code = cmd_run(argparse.Namespace(source=out, warehouse=warehouse, as_at=None, config=None, force=False))
    if code:
        return code
    code = cmd_scorecard(argparse.Namespace(month=None, org_unit="LA", warehouse=warehouse))
    print("\nthe month's reports:")
    for path in _latest_reports(settings.WarehousePaths(warehouse)):
        print(f"  {path}")
    return code


def _latest_reports(paths: settings.WarehousePaths) -> list[Path]:
    """The reports the last nightly run wrote (the latest month's, whole authority)."""
    found = sorted(paths.reports.glob("scorecard_????-??.*")) if paths.reports.is_dir() else []
    latest = max((p.stem for p in found), default=None)
    return [p for p in found if p.stem == latest]


def cmd_seal(args: argparse.Namespace) -> int:
    """Write the manifest's `files` listing for a folder written by other means (what an export
    script does last, once every file is complete)."""
    from .extract import ExtractError
    from .extract.arrival import seal

    try:
        doc = seal(args.source)
    except (OSError, ValueError, ExtractError) as exc:
        return _die(f"{args.source}: cannot seal ({type(exc).__name__}: {exc})")
    print(f"sealed {args.source}: {len(doc['files'])} files listed with rows, bytes and SHA-256 in manifest.json")
    return 0


def cmd_codegen(args: argparse.Namespace) -> int:
    from . import dbt_codegen
    from .quality import suites

    written = dbt_codegen.write() + suites.write()
    print(
        f"{len(written)} generated files (dbt sources, staging and macros, expectation suites) rewritten from models/"
    )
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    from .dbt_project import prepare_manifest
    from .reports.html import vega_bundle

    print(f"dbt manifest at {prepare_manifest()}")
    vega_bundle()  # bundled once at install, not during the first night's run
    return 0


def _date(text: str) -> date:
    return date.fromisoformat(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cscw", description="Children's social care performance warehouse")
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write a synthetic SSD extract")
    generate.add_argument("--out", required=True, type=Path)
    size = generate.add_mutually_exclusive_group()
    size.add_argument("--children", type=int, help="children first referred over the reported years")
    size.add_argument("--scale", choices=["kent", "national"], default="kent")
    generate.add_argument("--years", type=int, default=10)
    generate.add_argument("--end", type=_date, default=date(2016, 3, 31))
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--format", choices=["csv", "parquet"], default=None)
    generate.add_argument("--dirty", action="store_true", help="inject a known set of row-level defects")
    generate.add_argument(
        "--dialect",
        choices=["systemc", "mosaic"],
        default=None,
        help="write the extract as that system's SSD script would",
    )
    generate.add_argument(
        "--next-night",
        type=Path,
        metavar="FROM",
        help="write the night after the generated extract FROM: one more day of contacts, a few hundred "
        "rows corrected (the other options are taken from FROM)",
    )
    generate.set_defaults(func=cmd_generate)

    run = commands.add_parser("run", help="run the nightly refresh on an extract folder")
    run.add_argument(
        "--source", type=Path, default=None, help="the extract folder (default: the newest complete extract)"
    )
    run.add_argument(
        "--force", action="store_true", help="publish an extract older than the last publication (a deliberate re-run)"
    )
    run.add_argument("--warehouse", type=Path, default=None)
    run.add_argument("--as-at", type=_date, default=None, help="the period end the extract must cover")
    run.add_argument("--config", type=Path, default=None, help="the council's configuration file (else CSCW_CONFIG)")
    run.set_defaults(func=cmd_run)

    validate = commands.add_parser("validate", help="run only the checks on an extract and print a report")
    validate.add_argument("--source", required=True, type=Path)
    validate.add_argument(
        "--config", type=Path, default=None, help="the council's configuration file (else CSCW_CONFIG)"
    )
    validate.add_argument(
        "--write-map",
        type=Path,
        default=None,
        help="write a value map with every unmapped value, for the council to fill in",
    )
    validate.add_argument(
        "--show-free-text",
        action="store_true",
        help="also list free-text values (immigration statuses) kept as written; they may be personal",
    )
    validate.set_defaults(func=cmd_validate)

    commands.add_parser("demo", help="generate the default extract, run and publish, in data/demo/").set_defaults(
        func=cmd_demo
    )

    seal = commands.add_parser("seal", help="list every table file of an extract in its manifest (rows, sha256)")
    seal.add_argument("--source", required=True, type=Path)
    seal.set_defaults(func=cmd_seal)

    scorecard = commands.add_parser("scorecard", help="print the scorecard from the published warehouse")
    scorecard.add_argument("--month", default=None, help="YYYY-MM (default: latest)")
    scorecard.add_argument("--org-unit", default="LA")
    scorecard.add_argument("--warehouse", type=Path, default=None)
    scorecard.set_defaults(func=cmd_scorecard)

    report = commands.add_parser("report", help="write the month's scorecard as xlsx, html and pdf")
    report.add_argument("--month", default=None, help="YYYY-MM (default: latest)")
    report.add_argument("--org-unit", default="LA")
    report.add_argument(
        "--format", action="append", choices=["xlsx", "pdf", "html"], help="repeatable (default: all three)"
    )
    report.add_argument("--out", type=Path, default=None, help="folder (default: WAREHOUSE/reports)")
    report.add_argument("--warehouse", type=Path, default=None)
    report.set_defaults(func=cmd_report)

    explain = commands.add_parser(
        "explain", help="list the records behind a measure's numerator and denominator (child-level)"
    )
    explain.add_argument("measure", help="a measure_id (see the measure_catalogue table)")
    explain.add_argument("--month", required=True, help="YYYY-MM")
    explain.add_argument("--org-unit", default="LA")
    explain.add_argument("--scope", default="all", choices=["all", "excl_uasc"])
    explain.add_argument("--out", type=Path, default=None, help="a CSV file, readable by you only (default: stdout)")
    explain.add_argument("--warehouse", type=Path, default=None)
    explain.set_defaults(func=cmd_explain)

    commands.add_parser("codegen", help="regenerate the dbt files restating the contracts").set_defaults(
        func=cmd_codegen
    )
    commands.add_parser(
        "prepare", help="dbt parse (writes the manifest Dagster loads); bundle the charts' JavaScript"
    ).set_defaults(func=cmd_prepare)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
