"""Find: multilingual, cross-script search over descriptions, authority names and recognized text."""
