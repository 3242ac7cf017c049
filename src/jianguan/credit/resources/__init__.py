"""Import and export of credit ledgers (registered with core's import registry on discovery)."""
