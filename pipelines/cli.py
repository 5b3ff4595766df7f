"""cscw: the command line of the children's social care warehouse.

    cscw generate --out DIR [--children N | --scale kent|national] [--years 10] [--end 2016-03-31] [--seed 42] [--dirty]
    cscw run --source DIR [--warehouse DIR] [--as-at DATE]
    cscw validate --source DIR
    cscw demo
    cscw scorecard [--month YYYY-MM] [--org-unit ID] [--warehouse DIR]
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
    from .synthetic import generate

    started = time.perf_counter()
    if (args.dirty or args.dialect) and args.format == "parquet":
        return _die("--dirty and --dialect write CSV extracts only")
    result = generate(
        args.out,
        dialect=args.dialect,
        scale=args.scale,
        children=args.children,
        years=args.years,
        end=args.end,
        seed=args.seed,
        fmt="csv" if args.dirty else args.format,
    )
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


# --- run and validate ---------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from .extract import ExtractError, read_manifest
    from .quality.report import quality_summary
    from .runner import PipelineFailed, run_pipeline

    source = Path(args.source)
    paths = settings.WarehousePaths(
        Path(args.warehouse).resolve() if args.warehouse else settings.default_warehouse_dir()
    )
    try:
        manifest = read_manifest(source)
    except ExtractError as exc:
        return _die(str(exc))
    if args.as_at and manifest.period_end != args.as_at:
        return _die(f"--as-at {args.as_at} does not match the extract's period_end {manifest.period_end}")
    try:
        timings = run_pipeline(source, paths.root, config_file=args.config)
    except PipelineFailed as exc:
        print(f"cscw: run failed, nothing was published. {exc}", file=sys.stderr)
        if exc.stage != "load":  # a failed load has checked nothing: older findings would mislead
            for line in quality_summary(paths.working, manifest.extract_id):
                print(line, file=sys.stderr)
        return 1
    for line in quality_summary(paths.working, manifest.extract_id):
        print(line)
    print(f"published {paths.published} (total {sum(timings.values()):.1f} s)")
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
    for heading, values in (
        (
            "values that map to no code (add them to your value map - see README, 'Running on your SSD'):",
            [u for u in unmapped if u not in free_text],
        ),
        ("free-text values kept as written (map any that mean one of the column's codes):", free_text),
    ):
        if values:
            print(heading)
            for table, column, value, rows in values:
                print(f"  {table}.{column}: {value[:80]!r} ({rows:,} rows)")
    if args.write_map and unmapped:
        from .extract.value_maps import map_template

        args.write_map.write_text(map_template(unmapped, extract_id), encoding="utf-8")
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


# --- demo, codegen, prepare ---------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    out = settings.extracts_dir() / "demo-kent"
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
    code = cmd_run(argparse.Namespace(source=out, warehouse=None, as_at=None, config=None))
    if code:
        return code
    return cmd_scorecard(argparse.Namespace(month=None, org_unit="LA", warehouse=None))


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

    print(f"dbt manifest at {prepare_manifest()}")
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
    generate.set_defaults(func=cmd_generate)

    run = commands.add_parser("run", help="run the nightly refresh on an extract folder")
    run.add_argument("--source", required=True, type=Path)
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
    validate.set_defaults(func=cmd_validate)

    commands.add_parser("demo", help="generate the default extract, run and publish").set_defaults(func=cmd_demo)

    scorecard = commands.add_parser("scorecard", help="print the scorecard from the published warehouse")
    scorecard.add_argument("--month", default=None, help="YYYY-MM (default: latest)")
    scorecard.add_argument("--org-unit", default="LA")
    scorecard.add_argument("--warehouse", type=Path, default=None)
    scorecard.set_defaults(func=cmd_scorecard)

    commands.add_parser("codegen", help="regenerate the dbt files restating the contracts").set_defaults(
        func=cmd_codegen
    )
    commands.add_parser("prepare", help="dbt parse (writes the manifest Dagster loads)").set_defaults(func=cmd_prepare)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
