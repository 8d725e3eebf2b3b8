"""`msmelens lens analyze|profile|evaluate`: run the MSME lens over agreement files from the command line.

Files are read and analysed in worker processes (one chunk of files per task; jsonl lines are built and UTF-8
encoded there, so the parent only writes bytes), results are written in input order as they arrive, so the
whole corpus output is never held in memory. A file that cannot be read is reported as one line on stderr and
the batch continues.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import click

from msmelens.corpus.model import AgreementMeta, Document
from msmelens.lens.record import ProvisionResult
from msmelens.lens.tabular import CSV_FIELDS, csv_row

FORMATS = ("jsonl", "csv", "table")
_CHUNK_BYTES = 1_000_000
_CHUNK_FILES = 8


@dataclass(slots=True)
class FileResult:
    """What a worker sends back for one input file."""

    source: str
    output: str = ""  # formatted records (jsonl/csv/table rows) or a JSON profile
    n_records: int = 0
    data: bytes = b""  # jsonl records already UTF-8 encoded (instead of ``output``)
    error: str = ""  # one-line ReadError message when the file could not be read


@dataclass(slots=True)
class RunStats:
    files_read: int = 0
    files_failed: int = 0
    records: int = 0
    errors: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- formatting (runs in the workers)


def _table_row(rec: dict[str, Any]) -> str:
    cats = ",".join(rec["categories"]) or "-"
    where = rec["path"][-1] if rec["path"] else rec["source_ref"]
    return (
        f"{rec['provision_id'][:34]:<34} {rec['relevance']:<9} {rec['binding'] or '-':<8} "
        f"{rec['score']:>5.2f}  {cats[:48]:<48} {where[:60]}\n"
    )


TABLE_HEADER = f"{'provision':<34} {'relevance':<9} {'binding':<8} {'score':>5}  {'categories':<48} heading\n"


_str = json.encoder.encode_basestring  # the C string encoder json.dumps(..., ensure_ascii=False) uses


def _str_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(map(_str, items)) + "]" if items else "[]"


def jsonl_line(r: ProvisionResult) -> str:
    """``json.dumps(r.to_dict(), ensure_ascii=False)``, character for character, without the dict."""
    if r.evidence:
        evidence = (
            "["
            + ", ".join(
                f'{{"start": {e.start!r}, "end": {e.end!r}, "text": {_str(e.text)}, '
                f'"supports": {_str(e.supports)}'
                + ("}" if e.by == "rules" else f', "by": {_str(e.by)}}}')
                for e in r.evidence
            )
            + "]"
        )
    else:
        evidence = "[]"
    return (
        f'{{"agreement_id": {_str(r.agreement_id)}, "provision_id": {_str(r.provision_id)}, '
        f'"source_ref": {_str(r.source_ref)}, "path": {_str_list(r.path)}, "unit": {_str(r.unit)}, '
        f'"text": {_str(r.text)}, "relevance": {_str(r.relevance)}, "categories": {_str_list(r.categories)}, '
        f'"binding": {"null" if r.binding is None else _str(r.binding)}, '
        f'"committees": {_str_list(r.committees)}, "score": {round(r.score, 4)!r}, '
        f'"evidence": {evidence}, "language": {_str(r.language)}}}'
    )


def format_records(records: Iterable[dict[str, Any]], fmt: str) -> tuple[str, int]:
    """Format provision records as jsonl lines, csv rows (no header) or table rows."""
    n = 0
    if fmt == "jsonl":
        lines = []
        for rec in records:
            lines.append(json.dumps(rec, ensure_ascii=False))
            n += 1
        return ("\n".join(lines) + "\n" if lines else ""), n
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for rec in records:
            writer.writerow(csv_row(rec))
            n += 1
        return buf.getvalue(), n
    out = []
    for rec in records:
        out.append(_table_row(rec))
        n += 1
    return "".join(out), n


def _read_each(paths: list[str], unit: str) -> Iterator[tuple[str, Document | None, str]]:
    """Each path with its document, or None and the reader's one-line error (a bad file never stops a chunk)."""
    from msmelens.corpus.errors import ReadError
    from msmelens.corpus.readers import read_path

    for p in paths:
        try:
            yield p, read_path(p, paragraphs=unit == "paragraph"), ""
        except ReadError as err:
            yield p, None, str(err)


def _analyze_chunk(paths: list[str], unit: str, fmt: str) -> list[FileResult]:
    from msmelens.lens import analyze

    results = []
    for p, doc, error in _read_each(paths, unit):
        if doc is None:
            results.append(FileResult(p, error=error))
        elif fmt == "jsonl":  # the bulk path: build the lines directly, encode here, not in the parent
            lines = [jsonl_line(r) for r in analyze(doc, unit=unit)]
            data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
            results.append(FileResult(p, n_records=len(lines), data=data))
        else:
            text, n = format_records((r.to_dict() for r in analyze(doc, unit=unit)), fmt)
            results.append(FileResult(p, text, n))
    return results


def _profile_chunk(paths: list[str], unit: str, fmt: str) -> list[FileResult]:
    from msmelens.lens import analyze
    from msmelens.lens.profile import profile_agreement

    results = []
    for p, doc, error in _read_each(paths, unit):
        if doc is None:
            results.append(FileResult(p, error=error))
            continue
        prof = profile_agreement(doc, analyze(doc, unit=unit)).to_dict()
        prof["name"] = doc.meta.name
        prof["source"] = doc.source
        prof["date_signed"] = doc.meta.date_signed
        prof["region"] = doc.meta.region
        prof["language"] = doc.meta.language
        prof["wto_rta_id"] = doc.meta.wto_rta_id
        results.append(FileResult(p, json.dumps(prof, ensure_ascii=False), prof.get("n_provisions", 0)))
    return results


# ---------------------------------------------------------------- scheduling (runs in the parent)


def chunk_files(files: Iterable[Path]) -> Iterator[list[str]]:
    """Group input files into chunks of about 1 MB (at most 8 files) to keep worker tasks coarse."""
    chunk: list[str] = []
    size = 0
    for f in files:
        try:
            fsize = f.stat().st_size
        except OSError:
            fsize = 0
        if chunk and (size + fsize > _CHUNK_BYTES or len(chunk) >= _CHUNK_FILES):
            yield chunk
            chunk, size = [], 0
        chunk.append(str(f))
        size += fsize
    if chunk:
        yield chunk


def run_chunks(
    work: Callable[[list[str], str, str], list[FileResult]],
    chunks: Sequence[list[str]],
    unit: str,
    fmt: str,
    workers: int,
) -> Iterator[FileResult]:
    """Run ``work`` over the chunks (in a process pool when workers > 1), yielding results in input order."""
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield from work(chunk, unit, fmt)
        return
    import msmelens.corpus.readers
    import msmelens.lens  # noqa: F401  (imported once here, inherited by forked workers)
    from msmelens.lens.learned_stage import current_model

    current_model()  # scikit-learn and the model are loaded once here, inherited by forked workers too

    window = workers * 8
    pool = ProcessPoolExecutor(max_workers=workers, initializer=gc.freeze)
    try:
        pending: deque[Future[list[FileResult]]] = deque()
        it = iter(chunks)
        for chunk in it:
            pending.append(pool.submit(work, chunk, unit, fmt))
            if len(pending) >= window:
                break
        while pending:
            done = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(work, nxt, unit, fmt))
            yield from done
    finally:  # also on early exit (closed pipe, Ctrl-C): drop the work not started yet
        pool.shutdown(wait=True, cancel_futures=True)


class _Progress:
    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.done, self.enabled = total, 0, enabled

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\n")


def run_analyze(
    paths: Sequence[str | os.PathLike[str]],
    out: IO[str],
    *,
    fmt: str = "jsonl",
    unit: str = "article",
    workers: int | None = None,
    progress: bool = False,
    err: IO[str] | None = None,
) -> RunStats:
    """Analyse every input file and stream the records to ``out``; the code path of `lens analyze`."""
    from msmelens.corpus.readers import iter_input_files

    files = list(iter_input_files(paths))
    chunks = list(chunk_files(files))
    workers = workers or os.cpu_count() or 1
    stats = RunStats()
    bar = _Progress(len(files), progress)
    if fmt == "csv":
        csv.writer(out, lineterminator="\n").writerow(CSV_FIELDS)
    elif fmt == "table":
        out.write(TABLE_HEADER)
    raw = _byte_sink(out) if fmt == "jsonl" else None
    for res in run_chunks(_analyze_chunk, chunks, unit, fmt, workers):
        bar.step()
        if res.error:
            stats.files_failed += 1
            stats.errors.append(res.error)
            if err is not None:
                err.write(("\r\033[K" if progress else "") + res.error + "\n")
            continue
        stats.files_read += 1
        stats.records += res.n_records
        if res.data:
            if raw is not None:
                raw.write(res.data)
            else:
                out.write(res.data.decode("utf-8"))
        else:
            out.write(res.output)
    bar.close()
    return stats


def _byte_sink(out: IO[str]) -> IO[bytes] | None:
    """The binary buffer under ``out`` when UTF-8 bytes can go there unchanged (no newline translation),
    flushed so that text already written stays in order; otherwise None."""
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if buffer is None or encoding != "utf8" or os.linesep != "\n":
        return None
    out.flush()
    return buffer  # type: ignore[no-any-return]


# ---------------------------------------------------------------- click commands


def _open_output(output: str | None) -> IO[str]:
    if output:
        return open(output, "w", encoding="utf-8", newline="")
    return sys.stdout


def _finish(stats: RunStats, what: str) -> None:
    if stats.files_read == 0:
        if stats.files_failed:
            click.echo(
                f"No input could be read ({stats.files_failed} file(s) failed); nothing to {what}.", err=True
            )
        else:
            click.echo(
                "No agreement files found in the paths given (looked for .xml, .html, .htm, .txt, .pdf, .docx).",
                err=True,
            )
        sys.exit(2)
    if stats.files_failed:
        click.echo(
            f"{stats.files_read} file(s) read, {stats.files_failed} could not be read (see above).", err=True
        )


_paths_arg = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
_unit_opt = click.option(
    "--unit",
    type=click.Choice(["article", "paragraph"]),
    default="article",
    show_default=True,
    help="One record per article or per paragraph.",
)
_workers_opt = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: the number of CPUs).",
)


@click.group()
def lens() -> None:
    """Analyse agreements through the MSME lens.

    PATHS may be files or folders (walked recursively) of ToTA XML, other XML, HTML, plain text, PDF or Word
    (.docx) files.
    """


@lens.command("analyze")
@_paths_arg
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True, help="Output format."
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to FILE, not stdout."
)
@_unit_opt
@_workers_opt
def analyze_command(
    paths: tuple[str, ...], fmt: str, output: str | None, unit: str, workers: int | None
) -> None:
    """Classify every provision of the agreements in PATHS (files or folders), one record per provision.

    Records follow the lens output contract (jsonl: one JSON object a line; csv: lists joined with ";",
    evidence as JSON). Files that cannot be read are reported on stderr and skipped. Exit status 2 when no
    input at all could be read.
    """
    out = _open_output(output)
    try:
        stats = run_analyze(
            paths, out, fmt=fmt, unit=unit, workers=workers, progress=sys.stderr.isatty(), err=sys.stderr
        )
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    finally:
        if output:
            out.close()
        else:
            out.flush()
    _finish(stats, "analyse")


def _profile_table(profiles: list[dict[str, Any]]) -> str:
    lines = [
        f"{'agreement':<12} {'name':<44} {'provisions':>10} {'explicit':>8} {'implicit':>8} "
        f"{'binding':>7} {'coverage':>8}  SME chapter"
    ]
    for p in profiles:
        rc = p.get("relevance_counts", {})
        sme = p.get("sme_chapter") or {}
        lines.append(
            f"{p['agreement_id']:<12} {str(p.get('name', ''))[:44]:<44} {p.get('n_provisions', 0):>10} "
            f"{rc.get('explicit', 0):>8} {rc.get('implicit', 0):>8} {p.get('binding_share', 0.0):>7.0%} "
            f"{p.get('coverage_overall', 0.0):>8.0%}  {sme.get('heading', '-') if sme else '-'}"
        )
    return "\n".join(lines) + "\n"


SMALL_N = 5  # as on the web pages (msmelens.web.charts.SMALL_N): a share on fewer agreements is marked


def corpus_summary(profiles: list[dict[str, Any]]) -> dict[str, Any]:
    """Corpus-level figures (``msmelens.lens.profile.corpus_figures``) over the profiles of ``profile``.

    Each agreement counts once: of the texts that are language versions of one agreement
    (``msmelens.agreements.versions``, e.g. ToTA's English and Spanish TPP), only the primary's profile is
    counted. Every year and region row gets ``small_n`` (fewer than five agreements)."""
    from msmelens.agreements.versions import Text, group_versions
    from msmelens.lens.profile import corpus_figures

    grouping = group_versions(
        Text(
            agreement_id=str(p.get("agreement_id") or i),
            name=str(p.get("name") or ""),
            date_signed=str(p.get("date_signed") or ""),
            wto_rta_id=str(p.get("wto_rta_id") or ""),
            language=str(p.get("language") or ""),
        )
        for i, p in enumerate(profiles)
    )
    primaries = [p for i, p in enumerate(profiles) if str(p.get("agreement_id") or i) in grouping.members]
    figures = corpus_figures(
        (AgreementMeta(date_signed=p.get("date_signed"), region=p.get("region") or ""), p) for p in primaries
    )
    figures["n_texts"] = len(profiles)
    figures["small_n"] = figures["n_agreements"] < SMALL_N
    for key in ("by_year", "by_region"):
        for row in figures[key]:
            row["small_n"] = row["n"] < SMALL_N
    return figures


def _share_rows(label: str, rows: list[dict[str, Any]]) -> list[str]:
    """One line per year or region: agreements, share with explicit and with implicit provisions; a row
    resting on fewer than five agreements is marked *."""
    lines = [f"{label:<28} {'agreements':>10} {'explicit':>9} {'implicit':>9}"]
    for row in rows:
        mark = "*" if row.get("small_n") else " "
        lines.append(
            f"{str(row[label])[:28]:<28} {row['n']:>10}{mark}{row['share_explicit']:>8.0%} "
            f"{row['share_implicit']:>9.0%}"
        )
    return lines


def _corpus_table(figures: dict[str, Any]) -> str:
    n = figures["n_agreements"]
    texts = figures.get("n_texts", n)
    versions = f" (from {texts} texts: language versions of one agreement count once)" if texts != n else ""
    lines = [
        f"{n} agreements{versions}: {figures['n_with_explicit']} ({figures['share_explicit']:.0%}) with "
        f"explicit MSME provisions, {figures['n_with_implicit']} ({figures['share_implicit']:.0%}) with "
        "implicit ones.",
        "",
        *_share_rows("year", figures["by_year"]),
        "",
        *_share_rows("region", figures["by_region"]),
        "",
        f"{'category':<28} {'share of agreements':>20} {'agreements':>10}",
    ]
    for cat, share in figures["category_coverage"].items():
        lines.append(f"{cat:<28} {share:>20.0%} {n:>10}{'*' if figures.get('small_n') else ''}")
    if figures.get("small_n") or any(r.get("small_n") for r in figures["by_year"] + figures["by_region"]):
        lines += ["", "* rests on fewer than five agreements: read it with care."]
    return "\n".join(lines) + "\n"


@lens.command("profile")
@_paths_arg
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--corpus",
    "corpus_level",
    is_flag=True,
    help="Print corpus-level figures instead: share of agreements with explicit and with implicit MSME "
    "provisions, by year of signature, by region, and by category.",
)
@_unit_opt
@_workers_opt
def profile_command(
    paths: tuple[str, ...], fmt: str, corpus_level: bool, unit: str, workers: int | None
) -> None:
    """Summarise each agreement in PATHS: provisions by relevance, categories, bindingness, SME chapter."""
    from msmelens.corpus.readers import iter_input_files

    files = list(iter_input_files(paths))
    stats = RunStats()
    profiles: list[dict[str, Any]] = []
    bar = _Progress(len(files), sys.stderr.isatty())
    chunks = list(chunk_files(files))
    for res in run_chunks(_profile_chunk, chunks, unit, fmt, workers or os.cpu_count() or 1):
        bar.step()
        if res.error:
            stats.files_failed += 1
            click.echo(res.error, err=True)
            continue
        stats.files_read += 1
        profiles.append(json.loads(res.output))
    bar.close()
    if corpus_level and profiles:
        figures = corpus_summary(profiles)
        click.echo(
            json.dumps(figures, ensure_ascii=False, indent=2) if fmt == "json" else _corpus_table(figures)
        )
    elif fmt == "json":
        click.echo(json.dumps(profiles, ensure_ascii=False, indent=2))
    elif profiles:
        click.echo(_profile_table(profiles), nl=False)
    _finish(stats, "profile")


_PTA_NAME = re.compile(r"pta_(\d+)\.xml$", re.IGNORECASE)


def select_gold_files(files: Iterable[Path], agreements: set[str]) -> list[Path]:
    """Keep the files that hold a gold agreement: ToTA pta_N.xml by name, any other file by content."""
    keep = []
    for f in files:
        m = _PTA_NAME.search(f.name)
        if m is None or f"tota-{m.group(1)}" in agreements:
            keep.append(f)
    return keep


@lens.command("evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_paths_arg
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option(
    "--cv",
    type=click.IntRange(min=2),
    default=None,
    help="Run K-fold cross-validation grouped by agreement instead: the rules, a learned model and both "
    "combined, every learned weight and threshold fitted on the training folds only; figures of the held-out "
    "folds, overall, per language and per category.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold split (with --cv).")
def evaluate_command(gold: str, paths: tuple[str, ...], fmt: str, cv: int | None, seed: int) -> None:
    """Score the lens against a labelled GOLD file (jsonl) on the agreements found in PATHS.

    Only the agreements named in GOLD are read, e.g.
    `msmelens lens evaluate ../shared/lens-gold/dev.jsonl ../shared/tota/xml` (add `--cv 5` for
    cross-validated figures of the rules, a learned model and both combined).
    """
    from msmelens.corpus.errors import ReadError
    from msmelens.corpus.readers import iter_input_files, read_path
    from msmelens.lens import analyze
    from msmelens.lens.evaluate import evaluate, load_gold

    try:
        rows = load_gold(gold)
    except (OSError, ValueError) as exc:
        click.echo(f"Cannot read the gold file: {exc}", err=True)
        sys.exit(2)
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(str(row.get("agreement")), set()).add(str(row["article_id"]))
    files = select_gold_files(iter_input_files(paths), set(wanted))
    predictions: dict[str, Any] = {}
    found: set[str] = set()
    documents: list[Document] = []
    for f in files:
        try:
            doc = read_path(f, paragraphs=False)
        except ReadError as err:
            click.echo(str(err), err=True)
            continue
        if doc.id not in wanted:
            continue
        found.add(doc.id)
        if cv is not None:
            documents.append(doc)
            continue
        for res in analyze(doc, unit="article"):
            if res.source_ref in wanted[doc.id]:
                predictions[res.source_ref] = res
    missing = sorted(set(wanted) - found)
    if not found:
        click.echo(
            f"None of the {len(wanted)} agreements named in {Path(gold).name} was found in the paths given.",
            err=True,
        )
        sys.exit(2)
    if missing:
        click.echo(f"{len(missing)} gold agreement(s) not found: {', '.join(missing[:10])}", err=True)
    if cv is not None:
        _cross_validate(rows, documents, cv, seed, fmt, Path(gold).name)
        return
    report = evaluate(rows, predictions)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.format_table())


def _cross_validate(
    rows: list[dict[str, Any]], documents: list[Document], k: int, seed: int, fmt: str, gold_name: str
) -> None:
    """`evaluate --cv`: match the gold rows to the documents read, run the grouped CV, print its report."""
    from msmelens.lens.crossval import cross_validate
    from msmelens.lens.learned import examples_from_documents

    examples, not_found = examples_from_documents(rows, documents)
    if not_found:
        click.echo(
            f"{len(not_found)} row(s) of {gold_name} name an article not found in its agreement: "
            f"{', '.join(not_found[:10])}",
            err=True,
        )
    try:
        report = cross_validate(examples, k, seed)
    except ValueError as exc:
        click.echo(f"{gold_name}: {exc}", err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.format_table())


# train, export-labels and reanalyse live in their own module (the lens learning from curators)
from msmelens.cli.lens_learning_commands import export_labels_command, reanalyse_command, train_command  # noqa: E402

lens.add_command(train_command)
lens.add_command(export_labels_command)
lens.add_command(reanalyse_command)
