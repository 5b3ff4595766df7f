-- The scorecard table built from the disclosure-controlled results (macros/reporting.sql).
{{ config(alias='scorecard') }}
{{ scorecard_rows(ref('shareable_measure_results'), none) }}
