-- The activity table built from the disclosure-controlled results (macros/reporting.sql).
{{ config(alias='activity') }}
{{ activity_rows(ref('shareable_measure_results')) }}
