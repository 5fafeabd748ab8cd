"""Data management: repositories, archival descriptions (ISAD(G)), authority records (ISAAR(CPF))."""
