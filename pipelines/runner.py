"""Running the nightly refresh in this process, stage by stage.

`run_pipeline` executes the Dagster job `nightly_refresh` one stage (a set of asset groups) at a
time, so a person sees progress and the wall time of each stage, and a failed stage stops the
run before anything downstream - publishing above all - is touched.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import locking, settings
from .assets import DBT_GROUPS, EXTRACT_GROUP, MEASURE_CHECKS_GROUP, PUBLISH_GROUP, RAW_CHECKS_GROUP, REPORTS_GROUP


@dataclass(frozen=True)
class Stage:
    name: str
    groups: tuple[str, ...]


STAGES = (
    Stage("load", (EXTRACT_GROUP,)),
    Stage("raw checks", (RAW_CHECKS_GROUP,)),
    Stage("dbt", DBT_GROUPS),
    Stage("measure checks", (MEASURE_CHECKS_GROUP,)),
    Stage("publish", (PUBLISH_GROUP,)),
    Stage("reports", (REPORTS_GROUP,)),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)
# errors of ours name the file, row and column or the publication: show them, not their wrappers
OWN_ERRORS = ("ExtractError", "PublishError", "OlderThanPublished", "GenerateRefused", "ConfigurationError")


class PipelineFailed(RuntimeError):
    def __init__(self, stage: str, message: str):
        super().__init__(f"stage {stage} failed:\n  {message}")
        self.stage = stage


def _failure_message(result) -> str:
    messages = []
    for event in result.all_events:
        # a step that failed, or a resource that could not start (the configuration, read at run start)
        if event.event_type_value in ("STEP_FAILURE", "RESOURCE_INIT_FAILURE"):
            error = event.event_specific_data.error
            while error.cause is not None and error.cls_name not in OWN_ERRORS:
                error = error.cause
            text = error.message.strip()
            if error.cls_name in OWN_ERRORS:  # "pipelines.extract.reader.ExtractError: file ..." -> "file ..."
                text = text.split(": ", 1)[-1]
            messages.append(f"{event.step_key or 'starting the run'}: {text}")
    return "\n  ".join(messages) or "the run failed (see the Dagster logs)"


def run_config(source: Path, warehouse: Path | None, config_file: Path | None = None, force: bool = False) -> dict:
    """The run config naming this run's extract, warehouse and configuration (what the UI launchpad shows)."""
    return {
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
        "resources": {
            "extract": {"config": {"source": str(Path(source).resolve()), "force": force}},
            "warehouse": {"config": {"warehouse_dir": str(Path(warehouse).resolve()) if warehouse else ""}},
            "configuration": {"config": {"config_file": str(Path(config_file).resolve()) if config_file else ""}},
        },
    }


def run_pipeline(
    source: Path | None,
    warehouse: Path | None = None,
    *,
    quiet: bool = False,
    stages: tuple[str, ...] = STAGE_NAMES,
    config_file: Path | None = None,
    force: bool = False,
    peak_memory: dict[str, float] | None = None,
) -> dict[str, float]:
    """Run the nightly_refresh job in process, stage by stage. Returns the wall time of each stage;
    ``peak_memory``, if given, is filled with each stage's peak resident memory in MB (this process;
    dbt's own process is measured by the bench).

    The extract is chosen once, here (``source``, else the newest complete extract), and every
    stage reads that folder; the warehouse is locked for the whole run (WarehouseBusy if another
    run holds it)."""
    from .dbt_project import prepare_manifest

    root = Path(warehouse).resolve() if warehouse else settings.default_warehouse_dir()
    with locking.warehouse_lock(root, purpose="cscw run"):
        source = settings.resolve_source(source)
        prepare_manifest()  # before the definitions load the manifest
        previous_umask = os.umask(locking.RUN_UMASK)
        try:
            return _run_stages(source, root, quiet, stages, config_file, force, peak_memory)
        finally:
            os.umask(previous_umask)


def _reset_peak_memory() -> None:
    """Start a new high-water mark of this process's resident memory (Linux; elsewhere a no-op)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_memory_mb() -> float:
    """This process's resident memory high-water mark since the last reset, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_stages(
    source: Path, root: Path, quiet: bool, stages, config_file, force: bool, peak_memory: dict | None
) -> dict[str, float]:
    import dagster as dg

    from .definitions import defs
    from .extract import read_manifest

    job = defs.resolve_job_def("nightly_refresh")
    graph = defs.resolve_asset_graph()
    config = run_config(source, root, config_file, force)
    tags = {"cscw/source": str(source), "cscw/extract_id": read_manifest(source).extract_id}
    timings: dict[str, float] = {}
    with dg.DagsterInstance.ephemeral() as instance:
        for stage in (s for s in STAGES if s.name in stages):
            keys = sorted(dg.AssetSelection.groups(*stage.groups).resolve(graph), key=lambda k: k.to_user_string())
            if not quiet:
                print(f"[{stage.name:>7}] {len(keys)} assets ...", flush=True)
            if peak_memory is not None:
                _reset_peak_memory()
            started = time.perf_counter()
            # dbt's own log lines are streamed to stdout; the stage summary is what a person needs
            with contextlib.redirect_stdout(io.StringIO()):
                result = job.execute_in_process(
                    instance=instance,
                    asset_selection=keys,
                    raise_on_error=False,
                    run_config=config,
                    tags={**tags, "cscw/stage": stage.name},
                )
            timings[stage.name] = time.perf_counter() - started
            if peak_memory is not None:
                peak_memory[stage.name] = _peak_memory_mb()
            if not result.success:
                raise PipelineFailed(stage.name, _failure_message(result))
            if not quiet:
                print(f"[{stage.name:>7}] done in {timings[stage.name]:.1f} s", flush=True)
    return timings
