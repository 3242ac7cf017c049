"""Backups of a whole installation (database, uploaded files, manifest) in one file, and restores.

- `archive`: the file format (ustar tar, strict reading);
- `manifest`: what the backup says of itself, and the checks before a restore writes anything;
- `sqlite`, `postgres`: the engines (online backup API; pg_dump / pg_restore);
- `operations`: `create_backup` and `restore_backup`, called by `jianguan backup` / `jianguan restore`;
- `tasks`: the daily backup with retention when JIANGUAN_BACKUP_DIR is set.
"""
