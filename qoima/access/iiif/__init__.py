"""IIIF Image API 3.0 (level 2) and Presentation API 3.0 over the access copies."""
