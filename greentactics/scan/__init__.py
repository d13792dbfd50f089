"""Scan a codebase for the green tactics it already applies.

``greentactics scan PATH...`` reports, for every catalog tactic, ``applied`` (with the
evidence: file, line, what was found), ``not found``, or ``not detectable in code`` (tactics
whose catalog detectability is ``architectural``). The pieces, in the order data flows:

* ``discovery.py``: the lint engine's file discovery (``.gitignore``, excludes, notebooks);
  test files are skipped unless ``--include-tests`` (then their evidence is marked);
* ``detectors.py``: one traversal per file (parsed once by the lint engine's ``analyse``)
  that collects evidence, reading the tables of ``signals.py`` and ``options.py``;
* ``report.py``: one status per tactic, per-category summaries;
* ``reporters.py``: text, JSON (stable schema, ``JSON_SCHEMA``) and Markdown;
* ``commands.py``: the CLI sub-command (standard library only at import time).

Evidence is ``strong`` (the technique itself), ``partial`` (a related technique, an inventory
item, a heuristic) or ``disabled`` (the option is there but switched off, e.g. ``fp16=False``;
never counted as applied). This package imports nothing at the top so that the CLI starts fast.
"""
