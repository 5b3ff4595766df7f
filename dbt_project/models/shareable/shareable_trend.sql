-- The trend table built from the disclosure-controlled results (macros/reporting.sql).
{{ config(alias='trend') }}
{{ trend_rows(ref('shareable_measure_results')) }}
