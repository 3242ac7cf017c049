"""包保（两个责任）: the 包保 grade A/B/C of a food business, its cadres by level, assignments and 督导 records
(ADR 0003)."""
