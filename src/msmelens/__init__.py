"""MSME Lens: an MSME lens on trade agreements, a feedback loop with small firms, a library of what works."""

__version__ = "0.1.0"
