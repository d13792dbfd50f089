"""Allow ``python -m greentactics``."""

from greentactics.cli import main

raise SystemExit(main())
