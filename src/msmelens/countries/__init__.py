"""Countries: names in three languages and per-country agreement figures."""
