"""govsite — an open platform for supervising government websites (政府网站监管平台)."""

__version__ = "0.1.0"
