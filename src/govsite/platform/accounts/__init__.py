"""Accounts and roles: who may see and do what, enforced by the functions here."""
