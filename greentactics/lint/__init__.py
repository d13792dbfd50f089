"""The green-tactics linter: ``greentactics lint``.

Layout: ``rule.py`` (the rule API), ``analysis.py`` (the per-file model rules see),
``facts.py`` (the project-level model), ``checker.py`` (one file: parse once, one traversal),
``engine.py`` (discovery, two phases, cache, parallel runs), ``settings.py``, ``discovery.py``,
``suppressions.py``, ``reporters/`` (text, json, sarif, github) and ``rules/``.
Nothing is imported here, so ``greentactics lint`` starts without loading what it does not use.
"""
