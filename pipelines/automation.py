"""When the nightly refresh runs unattended: as soon as a complete extract arrives (sensor), and
at 02:00 as a catch-up (schedule) - never twice for one extract folder.

The run's extract is fixed when the run is requested (run config and tags, shown in the UI), so
a folder landing mid-run changes nothing for that run. Only the newest complete extract is
requested: an older one arriving late would be refused as older than the last publication.
"""

from __future__ import annotations

import json

import dagster as dg

from . import settings
from .extract.arrival import Arrival, arrivals
from .runner import run_config

SENSOR_INTERVAL_SECONDS = 60
EXTRACT_KEY_TAG = "cscw/extract_key"
CURSOR_KEPT = 100  # how many requested extracts the sensor's cursor remembers


def newest_complete() -> Arrival | None:
    complete = [a for a in arrivals(settings.extracts_dir()) if a.complete]
    return complete[-1] if complete else None


def run_request(arrival: Arrival) -> dg.RunRequest:
    return dg.RunRequest(
        run_key=arrival.key,
        run_config=run_config(arrival.folder, None),
        tags={
            EXTRACT_KEY_TAG: arrival.key,
            "cscw/source": str(arrival.folder),
            "cscw/extract_id": arrival.manifest.extract_id,
        },
    )


def already_run(instance: dg.DagsterInstance, key: str) -> bool:
    """A run was requested for this extract folder already (by the sensor, the schedule or a person)."""
    return bool(instance.get_run_records(filters=dg.RunsFilter(tags={EXTRACT_KEY_TAG: key}), limit=1))


def build_automation(job: dg.JobDefinition) -> tuple[dg.SensorDefinition, dg.ScheduleDefinition]:
    @dg.sensor(
        name="new_extract",
        job=job,
        minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Runs the nightly refresh once for each new complete extract under the extracts folder "
        "(a manifest listing every file, all of them there; folders starting with . or _ ignored).",
    )
    def new_extract(context: dg.SensorEvaluationContext):
        requested = json.loads(context.cursor) if context.cursor else []
        arrival = newest_complete()
        if arrival is None:
            return dg.SkipReason(f"no complete extract under {settings.extracts_dir()}")
        if arrival.key in requested or already_run(context.instance, arrival.key):
            return dg.SkipReason(f"extract {arrival.manifest.extract_id} ({arrival.folder.name}) has run already")
        context.update_cursor(json.dumps((requested + [arrival.key])[-CURSOR_KEPT:]))
        return run_request(arrival)

    @dg.schedule(
        name="nightly_refresh_0200",
        job=job,
        cron_schedule="0 2 * * *",
        execution_timezone="Europe/London",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description="At 02:00, runs the newest complete extract if nothing has run it yet (a catch-up for "
        "when the sensor was not running).",
    )
    def nightly(context: dg.ScheduleEvaluationContext):
        arrival = newest_complete()
        if arrival is None:
            return dg.SkipReason(f"no complete extract under {settings.extracts_dir()}")
        if already_run(context.instance, arrival.key):
            return dg.SkipReason(f"extract {arrival.manifest.extract_id} ({arrival.folder.name}) has run already")
        return run_request(arrival)

    return new_extract, nightly
