-- The core_monitoring table built from the disclosure-controlled results (macros/reporting.sql).
{{ config(alias='core_monitoring') }}
{{ core_monitoring_rows(ref('shareable_measure_results')) }}
