"""The firm guide: a short self-assessment that tells a small firm what trade agreements and programmes do for it."""
