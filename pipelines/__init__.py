"""csc-warehouse: the children's social care performance warehouse (Dagster code location)."""
