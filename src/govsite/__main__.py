"""``python -m govsite`` runs the ``govsite`` command."""

from govsite.cli import main

main()
