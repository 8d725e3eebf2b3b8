"""User groups: ``analyst`` (read and export) and ``curator`` (may correct provision labels)."""
