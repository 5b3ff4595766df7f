"""Data quality: rules derived from the contract, the raw and measure gates, quarantine."""
