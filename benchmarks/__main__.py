"""`python -m benchmarks NAME [options]`: run one benchmark, or `report` to regenerate the tables."""

from benchmarks.harness import main

raise SystemExit(main())
