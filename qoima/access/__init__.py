"""Access: the reading room, the JSON API, IIIF Image and Presentation, OAI-PMH."""
