"""Archival storage: locations (filesystem, S3-compatible), replication, fixity audit and repair."""
