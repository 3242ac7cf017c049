"""许可证台账: the licences a business (or another organisation) holds — kind, 主体业态, 经营项目, dates, status — the
reference tables of kinds and 业态, and the import/export ledger `licences`."""
