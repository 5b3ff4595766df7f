"""The reports people read, built from the published warehouse."""
