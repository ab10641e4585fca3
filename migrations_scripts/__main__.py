"""`python -m migrations_scripts …`: see `migrations_scripts.cli`."""

from .cli import main

raise SystemExit(main())
