"""Every write of 投诉举报 goes through these services: each runs in a transaction, checks who may
act, records a timeline event and leaves an audit trail (django-auditlog, with the actor)."""
