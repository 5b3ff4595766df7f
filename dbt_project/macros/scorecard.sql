{#
  Scorecard semantics (measures.md section 2), written once.

  rag(): H - Green if value >= target, Red if value < red threshold, else Amber.
         L - Green if value <= target, Red if value > red threshold, else Amber.
         T - Green if |value - target| <= green band, Red if > red band, else Amber.
         No value, target or polarity: no RAG.
#}
{% macro rag(value, polarity, target, red_threshold, green_band, red_band) -%}
    case
        when {{ value }} is null or {{ target }} is null or {{ polarity }} is null then null
        when {{ polarity }} = 'H' then
            case when {{ value }} >= {{ target }} then 'Green'
                 when {{ red_threshold }} is not null and {{ value }} < {{ red_threshold }} then 'Red'
                 else 'Amber' end
        when {{ polarity }} = 'L' then
            case when {{ value }} <= {{ target }} then 'Green'
                 when {{ red_threshold }} is not null and {{ value }} > {{ red_threshold }} then 'Red'
                 else 'Amber' end
        when {{ polarity }} = 'T' then
            case when abs({{ value }} - {{ target }}) <= {{ green_band }} then 'Green'
                 when abs({{ value }} - {{ target }}) > {{ red_band }} then 'Red'
                 else 'Amber' end
    end
{%- endmacro %}

{#
  direction_of_travel(): improved / same / worse from an earlier value to the latest, by
  polarity, comparing values rounded to one decimal place (T: distance from the target).
#}
{% macro direction_of_travel(latest, earlier, polarity, target) -%}
    case
        when {{ latest }} is null or {{ earlier }} is null or {{ polarity }} is null then null
        when {{ polarity }} = 'T' then
            -- distances rounded again so that 7.7 and 7.3 are equally far from 7.5 in binary too
            case when {{ target }} is null then null
                 when round(abs(round({{ latest }}, 1) - {{ target }}), 4) < round(abs(round({{ earlier }}, 1) - {{ target }}), 4) then 'improved'
                 when round(abs(round({{ latest }}, 1) - {{ target }}), 4) = round(abs(round({{ earlier }}, 1) - {{ target }}), 4) then 'same'
                 else 'worse' end
        when round({{ latest }}, 1) = round({{ earlier }}, 1) then 'same'
        when ({{ polarity }} = 'H' and round({{ latest }}, 1) > round({{ earlier }}, 1))
          or ({{ polarity }} = 'L' and round({{ latest }}, 1) < round({{ earlier }}, 1)) then 'improved'
        else 'worse'
    end
{%- endmacro %}

{# Counts of children in outputs meant for publication are rounded to the nearest 5. #}
{% macro round_to_5(count_expr) -%}
    {{ round_to_base(count_expr, 5) }}
{%- endmacro %}

{# A count rounded to the nearest multiple of base (halves away from zero). #}
{% macro round_to_base(count_expr, base) -%}
    (round({{ count_expr }} / cast({{ base }} as double)) * {{ base }})
{%- endmacro %}
