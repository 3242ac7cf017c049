"""食品安全风险分级: a yearly grade A–D per food business from its licence, 业态 and records, and the year's
inspection plan built from the grades (ADR 0003)."""
