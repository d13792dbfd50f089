"""Running a scan: discover the files, parse each once, run the detectors, build the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from greentactics.catalog import load_catalog
from greentactics.lint.checker import analyse
from greentactics.lint.source import SourceError, SourceText, decode_python, notebook_to_python
from greentactics.scan.detectors import scan_analysis
from greentactics.scan.discovery import SourceFile, discover
from greentactics.scan.evidence import Evidence
from greentactics.scan.report import Diagnostic, ScanReport, build_report


def read_source(path: Path) -> SourceText:
    """The Python text of a ``.py`` file or a notebook; :class:`SourceError` if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    if path.suffix == ".ipynb":
        return notebook_to_python(data)
    return SourceText(decode_python(data))


def scan_file(source: SourceFile) -> list[Evidence]:
    """The evidence in one file; raises :class:`SourceError` when it cannot be parsed."""
    text = read_source(source.path)
    analysis = analyse(source.display, text)
    return scan_analysis(analysis, text.notebook, in_tests=source.in_tests)


def scan_paths(
    paths: Sequence[Path],
    *,
    include_tests: bool = False,
    exclude: Sequence[str] = (),
    catalog_dir: Path | None = None,
) -> ScanReport:
    """Scan files and directories for every catalog tactic.

    Unreadable or unparsable files become :class:`Diagnostic` entries; the scan goes on.
    Raises :class:`FileNotFoundError` for a path that does not exist.
    """
    discovered = discover(paths, include_tests=include_tests, exclude=exclude)
    evidence: list[Evidence] = []
    diagnostics = [Diagnostic(path, None, None, message) for path, message in discovered.problems]
    scanned = 0
    for source in discovered.files:
        try:
            evidence.extend(scan_file(source))
        except SourceError as error:
            diagnostics.append(Diagnostic(source.display, error.line, error.column, str(error)))
            continue
        except Exception as error:  # a detector bug must not end an informational scan
            message = f"internal error in the scan detectors (please report): {error!r}"
            diagnostics.append(Diagnostic(source.display, None, None, message))
            continue
        scanned += 1
    return build_report(
        load_catalog(catalog_dir),
        evidence,
        paths=[path.as_posix() for path in paths],
        files_scanned=scanned,
        diagnostics=diagnostics,
        include_tests=include_tests,
    )
