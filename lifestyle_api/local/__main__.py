"""`python -m lifestyle_api.local`: see `lifestyle_api.local.runner`."""

from .runner import main

raise SystemExit(main())
