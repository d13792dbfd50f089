"""The rule API: what a greentactics lint rule is, what it sees and how it reports.

A rule is one class. Its class attributes are its identity and documentation, its
``visit_<Node>`` / ``leave_<Node>`` methods look at the libcst tree, and ``self.report`` records
a finding, optionally with a replacement node as the autofix::

    import libcst as cst
    from greentactics.lint.rule import Invalid, Rule, Severity, Valid


    class GradEnabledInference(Rule):
        '''Inference under autograd keeps activations for a backward pass that never comes.

        Wrap evaluation in ``torch.no_grad()`` or ``torch.inference_mode()``.
        '''

        code = "GT403"
        name = "grad-enabled-inference"
        tactic = "design-for-memory-constraints"
        severity = Severity.WARNING
        message = "Model evaluated with autograd on; wrap it in `with torch.no_grad():`."

        VALID = [Valid("import torch\\nwith torch.no_grad():\\n    model.eval()\\n")]
        INVALID = [Invalid("model.eval()\\npreds = model(x)\\n", line=1)]

        def visit_Call(self, node: cst.Call) -> None:
            if self.analysis.call_name(node) == "model.eval" and not self.analysis.in_context(
                node, "torch.no_grad", "torch.inference_mode"
            ):
                self.report(node)

How the engine runs rules (what a rule can rely on):

* each file is parsed once; :class:`~greentactics.lint.analysis.FileAnalysis` is built once
  and shared (``self.analysis``); the project facts are ``self.project``;
* a fresh rule instance is made per file, so instance attributes are per-file state;
* all rules are driven by ONE traversal: for every node, in source order, each rule's
  ``visit_<Type>(node)`` is called, then the children are visited, then ``leave_<Type>(node)``.
  Children are always visited (return values are ignored); ``<Type>`` is the exact libcst
  class name (``Call``, ``For``, ``With``, ``FunctionDef``, ``Module`` ...). Whitespace,
  comment and punctuation nodes (``analysis.TRIVIA_TYPES``: ``Comma``, ``Comment``,
  ``LeftParen`` ...) are not visited; read them from their parent node if needed;
* :meth:`Rule.finish` runs after the traversal, for rules that decide at the end of a file;
* an exception in a rule is reported as an internal error of that rule for that file; the
  other rules and files go on.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar

import libcst as cst

from greentactics.lint.analysis import CallInfo, ClassInfo, FileAnalysis, FunctionInfo
from greentactics.lint.facts import Fact, FactCollector, ProjectFacts
from greentactics.lint.positions import Span

__all__ = [
    "CallInfo",
    "ClassInfo",
    "Fact",
    "FactCollector",
    "FileAnalysis",
    "FixSafety",
    "FunctionInfo",
    "Invalid",
    "ProjectFacts",
    "Replacement",
    "Report",
    "Rule",
    "Severity",
    "Span",
    "Valid",
    "rule_definition_problems",
]


class Severity(str, Enum):
    """How serious a finding is; ``fail-on`` compares against this order."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for error, 1 for warning, 0 for info."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class FixSafety(str, Enum):
    """Whether applying a rule's autofix can change what the program does.

    ``safe`` fixes are applied by ``--fix``; ``unsafe`` ones (changing precision, adding early
    stopping, changing data loading) only with ``--fix --unsafe-fixes``.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"


def _dedent(code: str) -> str:
    text = textwrap.dedent(code)
    if text.startswith("\n"):
        text = text[1:]
    if text and not text.endswith("\n"):
        text += "\n"
    return text


@dataclass(frozen=True)
class Valid:
    """Code the rule must NOT report. ``code`` is dedented (a leading newline is dropped).

    ``filename`` matters for rules that look at paths (``test_x.py``) or notebooks.
    """

    code: str
    filename: str = "example.py"

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", _dedent(self.code))


@dataclass(frozen=True)
class Invalid:
    """Code the rule MUST report at least once.

    ``line``: a 1-based line one of the findings must start on. ``expected_fix``: the whole
    file after applying the rule's fixes (dedented like ``code``); give it for every rule with
    an autofix, and only for those.
    """

    code: str
    filename: str = "example.py"
    expected_fix: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", _dedent(self.code))
        if self.expected_fix is not None:
            object.__setattr__(self, "expected_fix", _dedent(self.expected_fix))


Replacement = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]


@dataclass(frozen=True, eq=False)
class Report:
    """One call of :meth:`Rule.report`, before the engine turns it into a finding."""

    node: cst.CSTNode
    message: str
    replacement: Replacement | None = None


_CODE = re.compile(r"^GT[1-9]\d{2}$")
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Rule:
    """Base class of every lint rule. See the module docstring for a complete example.

    Class attributes (identity and documentation; the docs site renders all of them):

    * ``code``: stable short code, ``GT`` + 3 digits (``"GT401"``); never reused.
    * ``name``: kebab-case name (``"training-without-checkpoints"``); accepted wherever a
      code is (``--select``, suppression comments).
    * ``tactic``: slug of the catalog tactic the rule serves (validated against the catalog).
    * ``severity``: a :class:`Severity`.
    * ``message``: default message; say what to change, not only what is wrong.
    * ``fix_safety``: None (no autofix), ``FixSafety.SAFE`` or ``FixSafety.UNSAFE``.
    * ``enabled_by_default``: False for opt-in rules (``--select ALL`` or an explicit select
      turns them on).
    * ``FACTS``: the :class:`FactCollector` classes whose facts the rule reads via
      ``self.project``; the engine runs phase 1 only for collectors some enabled rule needs.
    * ``VALID`` / ``INVALID``: examples; one generic test runs them all, the site shows them.
    * the class docstring: the rationale, in Markdown (first paragraph = one-line summary).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    tactic: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]
    fix_safety: ClassVar[FixSafety | None] = None
    enabled_by_default: ClassVar[bool] = True
    FACTS: ClassVar[tuple[type[FactCollector], ...]] = ()
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def __init__(self, analysis: FileAnalysis, project: ProjectFacts) -> None:
        self.analysis = analysis
        self.project = project
        self.reports: list[Report] = []

    @property
    def path(self) -> str:
        """The linted file's path as displayed (POSIX separators)."""
        return self.analysis.path

    def report(
        self,
        node: cst.CSTNode,
        message: str | None = None,
        *,
        replacement: Replacement | None = None,
    ) -> None:
        """Record a finding at ``node``.

        ``message`` defaults to the class ``message``. ``replacement`` is the autofix: the node
        that should stand where ``node`` stands (or ``cst.RemoveFromParent()``, or a
        ``cst.FlattenSentinel`` of statements). Build it with ``node.with_changes(...)`` so
        comments and formatting around it survive. Only give one when ``fix_safety`` is set.
        The position is computed by the engine, only if the finding survives suppressions.
        """
        self.reports.append(Report(node, message or self.message, replacement))

    def finish(self) -> None:
        """Called once after the traversal of the file; report here what needs the whole file."""

    @classmethod
    def rationale(cls) -> str:
        """The class docstring, dedented (Markdown)."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the rationale, on one line."""
        return " ".join(cls.rationale().split("\n\n", 1)[0].split())


@dataclass
class _Problems:
    messages: list[str] = field(default_factory=list)

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.messages.append(message)


def rule_definition_problems(rule: type[Rule]) -> list[str]:
    """What is wrong with a rule class's declaration (empty when it is well-formed).

    Checks code and name formats, severity and fix-safety types, a non-empty docstring and
    message, examples present, ``expected_fix`` given exactly when the rule has an autofix, and
    that every ``visit_X``/``leave_X`` names a real libcst node type. Tactic slugs are checked
    against the catalog by the test suite.
    """
    problems = _Problems()
    label = rule.__name__
    for attribute in ("code", "name", "tactic", "severity", "message"):
        problems.check(hasattr(rule, attribute), f"{label}: missing class attribute {attribute}")
    if problems.messages:
        return problems.messages
    problems.check(
        bool(_CODE.match(rule.code)), f"{label}: code {rule.code!r} is not GT + 3 digits"
    )
    problems.check(bool(_KEBAB.match(rule.name)), f"{label}: name {rule.name!r} is not kebab-case")
    problems.check(
        bool(_KEBAB.match(rule.tactic)), f"{label}: tactic {rule.tactic!r} is not a slug"
    )
    problems.check(isinstance(rule.severity, Severity), f"{label}: severity is not a Severity")
    problems.check(
        rule.fix_safety is None or isinstance(rule.fix_safety, FixSafety),
        f"{label}: fix_safety is not None or a FixSafety",
    )
    problems.check(bool(rule.message.strip()), f"{label}: empty message")
    problems.check(bool(rule.rationale()), f"{label}: the docstring (rationale) is empty")
    problems.check(bool(rule.VALID), f"{label}: no VALID examples")
    problems.check(bool(rule.INVALID), f"{label}: no INVALID examples")
    has_expected_fix = any(case.expected_fix is not None for case in rule.INVALID)
    if rule.fix_safety is None:
        problems.check(not has_expected_fix, f"{label}: expected_fix given but fix_safety is None")
    else:
        problems.check(has_expected_fix, f"{label}: has an autofix but no expected_fix example")
    for attribute in dir(rule):
        if attribute.startswith(("visit_", "leave_")):
            node_type = attribute.split("_", 1)[1]
            problems.check(
                isinstance(getattr(cst, node_type, None), type),
                f"{label}: {attribute} does not name a libcst node type",
            )
    return problems.messages
