{#
  UASC at d: ever recorded as UASC with a status start on or before d ("ever UASC up to d", which
  keeps former UASC care leavers in). uasc_from is int_person_uasc.uasc_from, carried by the
  intermediate models of every record a UASC-split measure counts.
#}
{% macro is_uasc_at(uasc_from_expr, at_expr) -%}
    coalesce({{ uasc_from_expr }} <= {{ at_expr }}, false)
{%- endmacro %}
