"""Ingest: transfer → checks → format identification → fixity → derivatives → AIP (BagIt + METS/PREMIS)."""
