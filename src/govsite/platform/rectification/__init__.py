"""After the check: rectification (整改) with automatic re-checks (复核), and self-inspection (自查)."""
