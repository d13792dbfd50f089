"""The lint run: discover files, gather project facts, check files in parallel, use the cache.

Phase 1 (only when an enabled rule declares ``FACTS``) turns every file of the *project* into
facts: the linted files and every other file discovery finds under the project root (the
directory of the config file, else the common directory of the given paths), so linting the
few files pre-commit passes still sees the checkpoint helper in an unchanged module. Phase 2
checks only the linted files, with the merged :class:`ProjectFacts`. Both phases skip files
whose results are in the cache, run in a process pool when there is enough work (``--jobs``),
and run in this process for a handful of files, where starting workers would cost more than
it saves.
"""

from __future__ import annotations

import difflib
import hashlib
import multiprocessing
import os
import queue
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pathspec

from greentactics import __version__
from greentactics.lint.analysis import FileAnalysis
from greentactics.lint.cache import (
    CACHE_DIR_NAME,
    FileRecord,
    LintCache,
    content_hash,
    stable_hash,
    stat_signature,
)
from greentactics.lint.checker import (
    CheckOptions,
    analyse,
    check_source,
    collect_facts,
    source_error_finding,
)
from greentactics.lint.discovery import DiscoveredFile, FileFinder
from greentactics.lint.facts import Fact, FactCollector, ProjectFacts
from greentactics.lint.findings import INTERNAL_ERROR, UNREADABLE_FILE, Finding
from greentactics.lint.rule import Rule
from greentactics.lint.settings import RuleSelector, Settings
from greentactics.lint.source import (
    SourceError,
    SourceText,
    decode_python,
    notebook_to_python,
)

# Below this many files to check, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8
# A project root with more files than this is not a project (a home directory without a
# config file?): facts then come from the linted files only.
MAX_PROJECT_FILES = 10_000


@dataclass(frozen=True)
class RunOptions:
    """How to run, beyond the settings: fixing, parallelism, cache, debugging."""

    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False
    jobs: int | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    force_exclude: bool = False
    debug: bool = False


@dataclass
class LintRun:
    """The outcome of a run: findings (sorted), what was looked at and what was fixed."""

    findings: list[Finding]
    files_checked: int
    rules: tuple[type[Rule], ...]
    fixes_applied: int = 0
    fixed_files: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    sources: dict[str, Path | str] = field(default_factory=dict)
    cache_hits: int = 0
    project_files: int = 0
    notes: list[str] = field(default_factory=list)
    baselined: int = 0  # findings a baseline file accepted (not in ``findings``)

    def source_text(self, display: str) -> SourceText | None:
        """The text of a linted file as it was linted (for code frames), or None."""
        origin = self.sources.get(display)
        if origin is None:
            return None
        if isinstance(origin, str):
            return SourceText(origin)
        try:
            return load_source(origin.name, origin.read_bytes())
        except (OSError, SourceError):
            return None


def load_source(name: str, data: bytes) -> SourceText:
    """Bytes of a ``.py`` file or a notebook -> the text to lint."""
    if name.endswith(".ipynb"):
        return notebook_to_python(data)
    return SourceText(decode_python(data))


class _ProjectFactsBuilder:
    """Each file's facts (a cache row, or facts collected in this run) and their digests.

    The project digest needs no facts at all, and :meth:`project` loads none: cached files
    are answered from the cache's database, question by question.
    """

    def __init__(self) -> None:
        self._stored: dict[int, str] = {}  # cache row id -> display path
        self._collected: dict[str, list[Fact]] = {}  # display path -> facts
        self._digests: dict[str, str] = {}

    def add_stored(self, display: str, file_id: int, digest: str) -> None:
        self._stored[file_id] = display
        self._digests[display] = digest

    def add_collected(self, display: str, facts: list[Fact], digest: str) -> None:
        self._collected[display] = facts
        self._digests[display] = digest

    def digest(self) -> str:
        """A hash of every file's facts: what phase-2 cache keys depend on."""
        return stable_hash(sorted(self._digests.items())) if self._digests else ""

    def project(self, cache: LintCache | None) -> ProjectFacts:
        if self._stored and cache is not None:
            return cache.project(self._stored, self._collected.items())
        return ProjectFacts(
            fact for display in sorted(self._collected) for fact in self._collected[display]
        )


def _compact(facts: Iterable[Fact], display: str) -> list[Any]:
    """Facts as cached: ``[kind, key, path, line, detail]`` rows, ``path`` None for the file
    itself (a large project caches hundreds of thousands of facts)."""
    return [[f.kind, f.key, None if f.path == display else f.path, f.line, f.detail] for f in facts]


@dataclass
class _FileTask:
    path: Path
    display: str
    data: bytes | None  # None: not read (yet); unlinted files are read only when they changed
    digest: str | None  # the content hash, once read
    signature: str  # size, mtime, ctime and inode, taken before reading
    codes: tuple[str, ...]
    linted: bool = True  # False: another file of the project, read for its facts only

    def read(self) -> str:
        """Read the file if not yet read; its content hash (OSError when unreadable)."""
        if self.digest is None:
            self.data = self.path.read_bytes()
            self.digest = content_hash(self.data)
        return self.digest


@dataclass(frozen=True)
class _WorkerState:
    rules: dict[str, type[Rule]]
    collectors: tuple[type[FactCollector], ...]
    project: ProjectFacts
    options: CheckOptions
    jobs: int = 1


_STATE: _WorkerState | None = None


# Serial runs keep phase-1 analyses for phase 2 (one parse per file), up to this much source.
_KEPT: dict[tuple[str, str], FileAnalysis] = {}
_KEEP_ANALYSES = False
_kept_chars = 0


def _keep_budget(jobs: int) -> int:
    """Source characters one process may keep parsed between the phases.

    A parsed file costs about 120 times its size in memory; use at most a quarter of the RAM.
    """
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        memory = 4_000_000_000
    return int(min(memory // (4 * max(jobs, 1) * 120), 40_000_000))


def _init_worker(state: _WorkerState, keep_analyses: bool = False) -> None:
    global _STATE, _KEEP_ANALYSES
    _STATE = state
    _KEEP_ANALYSES = keep_analyses


def _keep(path: str, text: str, analysis: FileAnalysis) -> None:
    global _kept_chars
    if not _KEEP_ANALYSES:
        return
    if _kept_chars + len(text) <= _keep_budget(1 if _STATE is None else _STATE.jobs):
        _KEPT[(path, text)] = analysis
        _kept_chars += len(text)


def _forget_kept() -> None:
    global _kept_chars
    _KEPT.clear()
    _kept_chars = 0


def _collect_task(task: tuple[str, str, bool]) -> tuple[list[Fact], str | None, bool]:
    path, display, linted = task
    assert _STATE is not None
    try:
        data = Path(path).read_bytes()
        source = load_source(display, data)
        collectors = [c for c in _STATE.collectors if c.matches(source.text)]
        if not collectors:
            return [], None, False
        analysis = analyse(display, source)
    except (OSError, SourceError):
        return [], None, False  # phase 2 reports the file
    if linted:
        _keep(path, source.text, analysis)
    try:
        return collect_facts(analysis, collectors), None, True
    except Exception as error:
        return [], f"a fact collector crashed: {type(error).__name__}: {error}", True


def _check_task(
    task: tuple[str, str, tuple[str, ...], bool],
) -> tuple[list[Finding], str | None, int]:
    path, display, codes, parsed_before = task
    assert _STATE is not None
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        message = f"cannot read: {error.strerror or error}"
        return [source_error_finding(display, SourceError(message), UNREADABLE_FILE)], None, 0
    try:
        source = load_source(display, data)
    except SourceError as error:
        return [source_error_finding(display, error)], None, 0
    rules = [_STATE.rules[code] for code in codes]
    try:
        kept = _KEPT.pop((path, source.text), None)
        result = check_source(
            display, source, rules, _STATE.project, _STATE.options, kept, precheck=not parsed_before
        )
    except Exception as error:
        # A bug outside any single rule (the parser, the analysis): one diagnostic, go on.
        message = f"internal error while checking this file: {type(error).__name__}: {error}"
        return [source_error_finding(display, SourceError(message), INTERNAL_ERROR)], None, 0
    return result.findings, result.fixed_text, result.fixes_applied


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


class LintEngine:
    """One configured linter: settings, the available rules and run options."""

    def __init__(
        self,
        settings: Settings,
        available_rules: Sequence[type[Rule]],
        options: RunOptions,
        cwd: Path,
    ) -> None:
        self.settings = settings
        self.options = options
        self.cwd = cwd
        self.selector = RuleSelector(available_rules)
        self.rules: tuple[type[Rule], ...] = self.selector.enabled(settings)
        self.collectors = _collectors_of(self.rules)
        self.check_options = CheckOptions(
            codes_by_alias=self.selector.codes_by_alias,
            severity_overrides=self.selector.severity_overrides(settings),
            report_unused_suppressions=settings.report_unused_suppressions,
            fix=options.fix or options.diff,
            unsafe_fixes=options.unsafe_fixes,
            debug=options.debug,
        )
        self._parsed: set[str] = set()  # files phase 1 parsed: phase 2 skips the pre-check
        self._fact_errors: list[Finding] = []  # fact collectors that crashed, per file
        self._project_root: Path | None = None  # set when the whole project was discovered
        self._per_file = [
            (pathspec.GitIgnoreSpec.from_lines([pattern]), self.selector.codes(codes))
            for pattern, codes in settings.per_file_ignores.items()
        ]

    # ------------------------------------------------------------------ entry points

    def lint_paths(self, paths: Iterable[Path]) -> LintRun:
        """Lint files and directories."""
        finder = FileFinder(self.settings, self.cwd, force_exclude=self.options.force_exclude)
        discovery = finder.discover(paths)
        findings = [
            source_error_finding(display, SourceError(message), UNREADABLE_FILE)
            for display, message in discovery.problems
        ]
        tasks: list[_FileTask] = []
        for discovered in discovery.files:
            task = self._read(discovered, findings)
            if task is not None:
                tasks.append(task)
        context, notes = self._project_context(paths, tasks)
        run = self._run(tasks, context)
        run.notes.extend(notes)
        run.findings.extend(findings)
        run.findings.extend(self._fact_errors)
        run.findings.sort(key=Finding.sort_key)
        return run

    def lint_text(self, text: str, display: str) -> LintRun:
        """Lint one file's text (stdin), as if it were at ``display``; no cache."""
        source = SourceText(text)
        if display.endswith(".ipynb"):
            try:
                source = notebook_to_python(text.encode())
            except SourceError as error:
                return LintRun([source_error_finding(display, error)], 1, self.rules)
        codes = self._codes_for(Path(os.path.abspath(self.cwd / display)))
        rules = [rule for rule in self.rules if rule.code in codes]
        facts: list[Fact] = []
        if self.collectors:
            try:
                facts = collect_facts(analyse(display, source), self.collectors)
            except SourceError:
                facts = []
        result = check_source(display, source, rules, ProjectFacts(facts), self.check_options)
        run = LintRun(result.findings, 1, self.rules, sources={display: source.text})
        if result.fixed_text is not None and result.fixed_text != text:
            run.fixes_applied = result.fixes_applied
            run.diffs.append(_diff(display, text, result.fixed_text))
            run.fixed_files.append(display)
            run.sources[display] = result.fixed_text
        return run

    # ------------------------------------------------------------------ the project

    def project_root(self, given: Sequence[Path]) -> Path | None:
        """Where the project's files are: the config file's directory, else the common
        directory of ``given`` (absolute paths); None for ``/`` or the home directory."""
        if self.settings.config_file is not None:
            return self.settings.root
        directories = [path if path.is_dir() else path.parent for path in given if path.exists()]
        if not directories:
            return None
        root = Path(os.path.commonpath(directories))
        if root == Path(root.anchor) or root == Path.home():
            return None
        return root

    def _project_context(
        self, paths: Iterable[Path], tasks: list[_FileTask]
    ) -> tuple[list[_FileTask], list[str]]:
        """The project's other files, read for their facts only, and notes for the user."""
        if not self.collectors or not self.settings.project_facts:
            return [], []
        given = [Path(os.path.abspath(self.cwd / path)) for path in paths]
        root = self.project_root(given)
        if root is None:
            return [], []
        if any(path.is_dir() and root.is_relative_to(path) for path in given):
            self._project_root = root
            return [], []  # the linted directories already hold all of the project
        finder = FileFinder(self.settings, self.cwd)
        discovery = finder.discover([root], limit=MAX_PROJECT_FILES + 1)
        if discovery.truncated:
            note = (
                f"project facts: {root} holds more than {MAX_PROJECT_FILES} files; cross-file "
                "facts come from the linted files only (add a [tool.greentactics] table to "
                "pyproject.toml at the project root, or pass --no-project-facts)"
            )
            return [], [note]
        self._project_root = root
        linted = {task.path for task in tasks}
        context: list[_FileTask] = []
        for discovered in discovery.files:
            if discovered.path in linted:
                continue
            try:
                signature = stat_signature(discovered.path.stat())
            except OSError:
                continue  # not linted: nothing to report
            context.append(
                _FileTask(discovered.path, discovered.display, None, None, signature, (), False)
            )
        return context, []

    # ------------------------------------------------------------------ the two phases

    def _read(self, discovered: DiscoveredFile, findings: list[Finding]) -> _FileTask | None:
        try:
            signature = stat_signature(discovered.path.stat())
            data = discovered.path.read_bytes()
        except OSError as error:
            message = f"cannot read: {error.strerror or error}"
            findings.append(
                source_error_finding(discovered.display, SourceError(message), UNREADABLE_FILE)
            )
            return None
        codes = tuple(sorted(self._codes_for(discovered.path)))
        return _FileTask(
            discovered.path, discovered.display, data, content_hash(data), signature, codes
        )

    def _codes_for(self, path: Path) -> set[str]:
        codes = {rule.code for rule in self.rules}
        try:
            relative = path.relative_to(self.settings.root).as_posix()
        except ValueError:
            relative = path.as_posix()
        for spec, ignored in self._per_file:
            if spec.match_file(relative):
                codes -= ignored
        return codes

    def _run(self, tasks: list[_FileTask], context: list[_FileTask]) -> LintRun:
        cache = self._open_cache()
        facts, pending_facts = self._cached_facts([*tasks, *context], cache)
        if cache is not None and self._project_root is not None:
            present = {str(task.path) for task in (*tasks, *context)}
            cache.forget_missing(self._project_root, present)
        if pending_facts and not self._serial(len(pending_facts)):
            sharded = self._run_sharded(tasks, facts, pending_facts, cache)
            if sharded is not None:
                sharded.project_files = len(tasks) + len(context)
                return sharded
        if pending_facts:
            state = self._state(ProjectFacts())
            collect = [(str(task.path), task.display, task.linted) for task in pending_facts]
            outcomes = self._map(_collect_task, collect, state, keep=self._serial(len(tasks)))
            self._absorb_facts(pending_facts, outcomes, facts, cache)
        run = LintRun([], len(tasks), self.rules, project_files=len(tasks) + len(context))
        pending, keys = self._phase2_pending(tasks, cache, facts.digest(), run)
        if pending:
            state = self._state(facts.project(cache))
            work = [self._check_item(task) for task in pending]
            self._absorb(run, pending, self._map(_check_task, work, state), keys, cache)
        _forget_kept()
        if cache is not None:
            cache.save()
        return run

    def _state(self, project: ProjectFacts) -> _WorkerState:
        rules = {rule.code: rule for rule in self.rules}
        jobs = self.options.jobs or default_jobs()
        return _WorkerState(rules, self.collectors, project, self.check_options, jobs)

    def _check_item(self, task: _FileTask) -> tuple[str, str, tuple[str, ...], bool]:
        return (str(task.path), task.display, task.codes, task.display in self._parsed)

    def _phase2_pending(
        self, tasks: list[_FileTask], cache: LintCache | None, facts_digest: str, run: LintRun
    ) -> tuple[list[_FileTask], dict[str, str]]:
        """Take cached findings into ``run``; return the files to check and their cache keys."""
        pending: list[_FileTask] = []
        keys: dict[str, str] = {}
        for task in tasks:
            run.sources[task.display] = task.path
            key = stable_hash([task.digest, task.codes, facts_digest])
            keys[task.display] = key
            cached = cache.findings(str(task.path), key) if cache else None
            if cached is not None and not self._wants_fix(cached):
                run.findings.extend(
                    Finding.from_json(item).with_path(task.display) for item in cached
                )
                run.cache_hits += 1
            else:
                pending.append(task)
        return pending, keys

    def _absorb(
        self,
        run: LintRun,
        pending: list[_FileTask],
        results: list[Any],
        keys: dict[str, str],
        cache: LintCache | None,
    ) -> None:
        """Add phase-2 results to ``run``, write fixes, and remember results in the cache."""
        for task, (findings, fixed_text, applied) in zip(pending, results, strict=True):
            run.findings.extend(findings)
            if fixed_text is not None and applied:
                self._handle_fix(run, task, fixed_text, applied)
            elif cache is not None and not any(f.code == INTERNAL_ERROR[0] for f in findings):
                cache.store_findings(
                    str(task.path), keys[task.display], [f.to_json() for f in findings]
                )

    def _wants_fix(self, cached: list[dict[str, Any]]) -> bool:
        if not self.check_options.fix:
            return False
        for item in cached:
            fix = item.get("fix")
            if fix and (fix.get("safety") == "safe" or self.options.unsafe_fixes):
                return True
        return False

    def _handle_fix(self, run: LintRun, task: _FileTask, fixed_text: str, applied: int) -> None:
        assert task.data is not None  # linted files are always read
        original = load_source(task.display, task.data).text
        if fixed_text == original:
            return
        run.fixes_applied += applied
        run.fixed_files.append(task.display)
        if self.options.diff:
            run.diffs.append(_diff(task.display, original, fixed_text))
            return
        encoding = _encoding_of(task.data)
        task.path.write_bytes(fixed_text.encode(encoding))
        run.sources[task.display] = fixed_text

    def _cached_facts(
        self, tasks: list[_FileTask], cache: LintCache | None
    ) -> tuple[_ProjectFactsBuilder, list[_FileTask]]:
        """Facts the cache holds, and the files whose facts must be collected."""
        facts = _ProjectFactsBuilder()
        if not self.collectors:
            return facts, []
        pending: list[_FileTask] = []
        for task in tasks:
            record = cache.record(str(task.path)) if cache is not None else None
            if cache is not None and record is not None and _reusable(task, record, cache):
                facts.add_stored(task.display, record.id, record.digest)
                continue
            try:
                task.read()
            except OSError:
                continue  # an unlinted file that vanished or cannot be read: no facts
            pending.append(task)
        return facts, pending

    def _absorb_facts(
        self,
        pending: list[_FileTask],
        outcomes: list[Any],
        facts: _ProjectFactsBuilder,
        cache: LintCache | None,
    ) -> None:
        for task, (file_facts, error, parsed) in zip(pending, outcomes, strict=True):
            unique = list(dict.fromkeys(file_facts))
            raw = _compact(unique, task.display)
            digest = stable_hash(raw)
            facts.add_collected(task.display, unique, digest)
            if parsed and error is None:
                self._parsed.add(task.display)
            if error is not None and task.linted:
                self._fact_errors.append(
                    source_error_finding(task.display, SourceError(error), INTERNAL_ERROR)
                )
            if cache is not None and error is None and task.digest is not None:
                cache.store_facts(
                    str(task.path), task.digest, task.display, task.signature, raw, digest
                )

    def _run_sharded(
        self,
        tasks: list[_FileTask],
        facts: _ProjectFactsBuilder,
        pending_facts: list[_FileTask],
        cache: LintCache | None,
    ) -> LintRun | None:
        """Both phases in the same long-lived workers, each keeping its files parsed between
        the phases (within a memory budget), so most files are parsed once.

        Returns None (and the caller runs the plain two-pool path) if a worker fails.
        """
        jobs = self.options.jobs or default_jobs()
        shards = _balanced_shards(pending_facts, jobs)
        state = self._state(ProjectFacts())
        context: Any = multiprocessing.get_context(_start_method())
        outbox = context.Queue()
        inboxes = [context.Queue() for _ in shards]
        workers = [
            context.Process(
                target=_shard_worker,
                args=(
                    index,
                    state,
                    [(str(t.path), t.display, t.linted) for t in shard],
                    inboxes[index],
                    outbox,
                ),
                daemon=True,
            )
            for index, shard in enumerate(shards)
        ]
        for worker in workers:
            worker.start()
        try:
            outcomes = _gather(outbox, workers, "facts")
            if outcomes is None:
                return None
            for index, shard in enumerate(shards):
                self._absorb_facts(shard, outcomes[index], facts, cache)
            run = LintRun([], len(tasks), self.rules)
            pending, keys = self._phase2_pending(tasks, cache, facts.digest(), run)
            project = facts.project(cache) if pending else ProjectFacts()
            owner = {task.display: index for index, shard in enumerate(shards) for task in shard}
            assigned: list[list[_FileTask]] = [[] for _ in shards]
            for position, task in enumerate(pending):
                assigned[owner.get(task.display, position % len(shards))].append(task)
            for index, inbox in enumerate(inboxes):
                inbox.put((project, [self._check_item(task) for task in assigned[index]]))
            results = _gather(outbox, workers, "results")
            if results is None:
                return None
            for index, work in enumerate(assigned):
                self._absorb(run, work, results[index], keys, cache)
        finally:
            for worker in workers:
                worker.join(timeout=5)
                if worker.is_alive():
                    worker.terminate()
        if cache is not None:
            cache.save()
        return run

    def _serial(self, work_size: int) -> bool:
        jobs = self.options.jobs or default_jobs()
        return jobs <= 1 or work_size < PARALLEL_THRESHOLD

    def _map(
        self, function: Any, work: list[Any], state: _WorkerState, *, keep: bool = False
    ) -> list[Any]:
        if self._serial(len(work)):
            _init_worker(state, keep_analyses=keep)
            return [function(item) for item in work]
        jobs = self.options.jobs or default_jobs()
        chunk = max(1, min(16, len(work) // (jobs * 4)))
        batches = [work[start : start + chunk] for start in range(0, len(work), chunk)]
        results: list[list[Any] | None] = [None] * len(batches)
        with _executor(jobs, state) as pool:
            futures = [pool.submit(_run_batch, function, batch) for batch in batches]
            for index, future in enumerate(futures):
                try:
                    results[index] = future.result()
                except BrokenProcessPool:
                    results[index] = None
        flat: list[Any] = []
        for batch, result in zip(batches, results, strict=True):
            if result is None:
                # A worker died (a crash in native code): retry each file alone, so only the
                # file that kills its process is lost.
                result = [_run_isolated(function, item, state) for item in batch]
            flat.extend(result)
        return flat

    def _open_cache(self) -> LintCache | None:
        if not self.options.use_cache:
            return None
        directory = self.options.cache_dir or (self.settings.root / CACHE_DIR_NAME)
        return LintCache(directory, self.config_hash(), _collectors_hash(self.collectors))

    def config_hash(self) -> str:
        """What every cached result depends on besides the file: version, rules, settings."""
        described = self.settings.describe()
        described.pop("root")
        described.pop("baseline")  # applied to the findings after the run
        return stable_hash(
            {
                "version": __version__,
                "engine": _engine_fingerprint(),
                "rules": [_rule_identity(rule) for rule in self.rules],
                "settings": described,
                "check": [
                    sorted(self.check_options.severity_overrides.items()),
                    self.check_options.report_unused_suppressions,
                ],
                "python": sys.version_info[:2],
            }
        )


def _reusable(task: _FileTask, record: FileRecord, cache: LintCache) -> bool:
    """Whether a file's cached facts still hold: an unlinted file whose stat is the recorded
    one is not read; otherwise its content hash decides (and a stale stat is refreshed)."""
    if record.display != task.display:
        return False  # facts name files by their display path
    if not task.linted and record.unchanged_by_stat(task.signature):
        task.digest = record.hash
        return True
    try:
        if task.read() != record.hash:
            return False
    except OSError:
        return False
    if not record.unchanged_by_stat(task.signature):
        cache.refresh_stat(str(task.path), task.signature)
    return True


def _run_batch(function: Any, batch: list[Any]) -> list[Any]:
    return [function(item) for item in batch]


def _run_isolated(function: Any, item: Any, state: _WorkerState) -> Any:
    with _executor(1, state) as pool:
        try:
            return pool.submit(function, item).result()
        except BrokenProcessPool:
            pass
    message = "the parser or a rule crashed the worker process on this file"
    if function is _collect_task:
        return [], message, False
    finding = source_error_finding(item[1], SourceError(message), INTERNAL_ERROR)
    return [finding], None, 0


def _start_method() -> str:
    # fork shares the already imported libcst and rules with the workers: no start-up import.
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def _balanced_shards(tasks: list[_FileTask], count: int) -> list[list[_FileTask]]:
    """Split files into ``count`` shards of about equal total size (largest first)."""
    shards: list[list[_FileTask]] = [[] for _ in range(max(count, 1))]
    sizes = [0] * len(shards)
    for task in sorted(tasks, key=lambda item: len(item.data or b""), reverse=True):
        smallest = sizes.index(min(sizes))
        shards[smallest].append(task)
        sizes[smallest] += len(task.data or b"")
    return shards


def _shard_worker(
    index: int,
    state: _WorkerState,
    items: list[tuple[str, str, bool]],
    inbox: Any,
    outbox: Any,
) -> None:
    """A long-lived worker: phase 1 on its shard, then phase 2 on what it is sent."""
    try:
        _init_worker(state, keep_analyses=True)
        outbox.put(("facts", index, [_collect_task(item) for item in items]))
        project, work = inbox.get()
        _init_worker(replace(state, project=project), keep_analyses=True)
        outbox.put(("results", index, [_check_task(item) for item in work]))
    except BaseException as error:
        outbox.put(("failed", index, f"{type(error).__name__}: {error}"))


def _gather(outbox: Any, workers: list[Any], kind: str) -> list[Any] | None:
    """One ``kind`` message per worker, by index; None if a worker failed or died."""
    received: dict[int, Any] = {}
    while len(received) < len(workers):
        try:
            message_kind, index, payload = outbox.get(timeout=1)
        except queue.Empty:
            waiting = [worker for index, worker in enumerate(workers) if index not in received]
            if any(not worker.is_alive() for worker in waiting):
                try:  # a worker that just exited may have sent its last message
                    message_kind, index, payload = outbox.get(timeout=1)
                except queue.Empty:
                    return None
            else:
                continue
        if message_kind != kind:
            return None
        received[index] = payload
    return [received[index] for index in range(len(workers))]


def _executor(jobs: int, state: _WorkerState) -> Executor:
    context = multiprocessing.get_context(_start_method())
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(state,)
    )


def _collectors_of(rules: Iterable[type[Rule]]) -> tuple[type[FactCollector], ...]:
    seen: dict[str, type[FactCollector]] = {}
    for rule in rules:
        for collector in rule.FACTS:
            seen.setdefault(collector.identity(), collector)
    return tuple(seen[key] for key in sorted(seen))


def _collectors_hash(collectors: Sequence[type[FactCollector]]) -> str:
    return stable_hash(
        [_engine_fingerprint(), *[[c.identity(), _package_hash(c.__module__)] for c in collectors]]
    )


def _rule_identity(rule: type[Rule]) -> list[str]:
    return [rule.code, f"{rule.__module__}.{rule.__qualname__}", _package_hash(rule.__module__)]


def _package_hash(module_name: str) -> str:
    """A hash of the sources next to a module (a rule's helpers live beside it)."""
    module = sys.modules.get(module_name)
    source_file = getattr(module, "__file__", None)
    if source_file is None:
        return ""
    return stable_hash(
        [_file_hash(str(path)) for path in sorted(Path(source_file).parent.glob("*.py"))]
    )


_FILE_HASHES: dict[str, str] = {}


def _file_hash(path: str | None) -> str:
    if path is None:
        return ""
    if path not in _FILE_HASHES:
        try:
            _FILE_HASHES[path] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            _FILE_HASHES[path] = ""
    return _FILE_HASHES[path]


def _engine_fingerprint() -> str:
    """A hash of the engine's own sources, so a development checkout never reads stale results."""
    package = Path(__file__).parent
    return stable_hash([_file_hash(str(path)) for path in sorted(package.glob("*.py"))])


def _encoding_of(data: bytes) -> str:
    import io
    import tokenize

    try:
        return tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:
        return "utf-8"


def _diff(display: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{display}",
        tofile=f"b/{display}",
    )
    return "".join(lines)


_RANKS = {"info": 0, "warning": 1, "error": 2}


def exit_code_for(run: LintRun, fail_on: str) -> int:
    """2 if a rule or the engine crashed, 1 if a finding is at or above ``fail_on``, else 0."""
    if any(finding.code == INTERNAL_ERROR[0] for finding in run.findings):
        return 2
    threshold = _RANKS[fail_on]
    return 1 if any(_RANKS.get(f.severity, 2) >= threshold for f in run.findings) else 0
