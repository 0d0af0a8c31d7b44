"""Campaigns: a census (普查) or a reproducible spot check (抽查), and their scans."""
