"""Exchange with partner archives: harvesting their catalogues over OAI-PMH."""
