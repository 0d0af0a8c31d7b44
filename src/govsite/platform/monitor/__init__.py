"""Continuous availability monitoring (7×24 首页监测): scheduled homepage probes, hourly
tallies, the week's failure share for the 站点无法访问 indicator, uptime pages, alerts."""
