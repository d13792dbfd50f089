"""The fixture projects are inputs to the linter, not tests: pytest must not collect them."""

collect_ignore_glob = ["fixtures/*"]
