"""Checks: one module per indicator family, one contract, one ordered registry."""
