"""The registry of government websites (政府网站基本信息)."""
