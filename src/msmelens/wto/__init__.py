"""The WTO agreements through the MSME lens, and what regional agreements add to them ("Beyond the WTO")."""
