"""Administration: users and roles, the access policy every door asks, and the audit log."""
