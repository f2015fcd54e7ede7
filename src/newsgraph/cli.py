"""The ``newsgraph`` command: a thin Typer layer over importable functions.

Exit codes: 0 all went well; 1 an error stopped the command; 2 usage error
(bad option, missing path); 3 ``ingest`` stored what it could but some
inputs failed.
"""

from __future__ import annotations

import enum
import json
import shlex
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import NewsgraphError, StoreLockedError, UnsupportedInputError
from .settings import get_setting

app = typer.Typer(
    help="newsgraph: who said what, who did what to whom, when and where, from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score newsgraph on the shared evaluation data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 1, 2, 3


class Engine(str, enum.Enum):
    local = "local"
    ray = "ray"


def _option(name: str, *flags: str, **kwargs):
    setting = get_setting(name)
    return typer.Option(*flags, envvar=setting.envvar, help=setting.help, **kwargs)


DbOption = Annotated[Path, _option("db", "--db")]
ModelOption = Annotated[Optional[str], _option("model", "--model")]
MaxBytesOption = Annotated[int, _option("max_bytes", "--max-bytes", min=1)]
TimeBudgetOption = Annotated[float, _option("time_budget", "--time-budget", min=0.1, metavar="SECONDS")]
MemoryBudgetOption = Annotated[float, _option("memory_budget", "--memory-budget", min=16, metavar="MIB")]
PublishedOption = Annotated[
    Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD (overrides the page's).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")]
UserAgentOption = Annotated[str, _option("user_agent", "--user-agent")]
DelayOption = Annotated[float, _option("delay", "--delay", min=0.0, metavar="SECONDS")]
TimeoutOption = Annotated[float, _option("timeout", "--timeout", min=0.1, metavar="SECONDS")]
# No envvar on the option itself: click would split $NEWSGRAPH_DICTIONARIES on blanks, the coder reads
# it split on os.pathsep (annotate/events/dictionaries.py).
DictionariesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--dictionaries", help=get_setting("dictionaries").help + " Also $NEWSGRAPH_DICTIONARIES "
                 "(paths separated by ':')."),
]


def _fail(err: NewsgraphError) -> typer.Exit:
    typer.echo(f"error: {err}", err=True)
    return typer.Exit(EXIT_USAGE if isinstance(err, UnsupportedInputError) else EXIT_ERROR)


def _use_dictionaries(paths: list[Path] | None) -> None:
    """Check the extra dictionaries and name them in $NEWSGRAPH_DICTIONARIES for this process and its workers."""
    if not paths:
        return
    import os

    from .annotate.events.dictionaries import load_dictionaries

    files = tuple(str(p.resolve()) for p in paths)
    try:
        load_dictionaries(files)
    except NewsgraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    os.environ["NEWSGRAPH_DICTIONARIES"] = os.pathsep.join(files)


def _fetch_options(user_agent: str, delay: float, timeout: float, max_bytes: int):
    from .ingest.web import FetchOptions

    # A whole answer may take three times what one network operation may: a page that trickles in slower is refused.
    return FetchOptions(user_agent=user_agent, delay=delay, timeout=timeout, deadline=3 * timeout,
                        max_bytes=max_bytes)


def _published(value: str | None) -> str | None:
    from .pipeline import normalise_date

    try:
        return normalise_date(value, source="--published")
    except NewsgraphError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


@app.command("analyze")
def analyze_cli(
    path: Annotated[str, typer.Argument(help="One .html, .htm, .html.gz or .txt file, or the http(s) URL of a page.")],
    published: PublishedOption = None,
    model: ModelOption = get_setting("model").default,
    max_bytes: MaxBytesOption = get_setting("max_bytes").default,
    time_budget: TimeBudgetOption = get_setting("time_budget").default,
    memory_budget: MemoryBudgetOption = get_setting("memory_budget").default,
    dictionaries: DictionariesOption = None,
    user_agent: UserAgentOption = get_setting("user_agent").default,
    timeout: TimeoutOption = get_setting("timeout").default,
) -> None:
    """Print one article's JSON record on stdout."""
    from .ingest import read_document
    from .ingest.web import Fetcher, is_web_url, page_document
    from .models import Failure
    from .run.local import run_workers

    date = _published(published)
    _use_dictionaries(dictionaries)
    try:
        if is_web_url(path):
            with Fetcher(_fetch_options(user_agent, 0.0, timeout, max_bytes)) as fetcher:
                raw = page_document(fetcher.get(path))
        else:
            raw = read_document(path, max_bytes=max_bytes)
        # In a worker process, so that the input's time and memory budgets hold.
        [result] = run_workers([raw], 1, model=model, published=date, time_budget=time_budget,
                               memory_budget=memory_budget)
    except NewsgraphError as err:
        raise _fail(err) from None
    if isinstance(result, Failure):
        typer.echo(f"error: {result.message}", err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


@app.command("ingest")
def ingest_cli(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Files, directories (read recursively), globs, '-' for stdin, or http(s) URLs of pages.")] = None,
    urls: Annotated[Optional[Path], typer.Option(
        "--urls", help="A text file of page URLs to fetch, one a line ('#' starts a comment).")] = None,
    db: DbOption = Path(get_setting("db").default),
    published: PublishedOption = None,
    model: ModelOption = get_setting("model").default,
    max_bytes: MaxBytesOption = get_setting("max_bytes").default,
    time_budget: TimeBudgetOption = get_setting("time_budget").default,
    memory_budget: MemoryBudgetOption = get_setting("memory_budget").default,
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", "-w", min=1,
                     help="Worker processes (default: all cores); with --engine ray: Ray actors."),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="local: worker processes on this machine; ray: Ray Data (docs/cluster.md).")
    ] = "local",
    address: Annotated[
        Optional[str],
        typer.Option("--address", help="Ray cluster to use with --engine ray (e.g. ray://head:10001, auto); "
                                       "default: start Ray on this machine."),
    ] = None,
    shard_dir: Annotated[
        Optional[Path],
        typer.Option("--shard-dir", help="With --engine ray: where workers write Parquet shards (shared storage on "
                                         "a cluster; default: <db>.shards)."),
    ] = None,
    dictionaries: DictionariesOption = None,
    user_agent: UserAgentOption = get_setting("user_agent").default,
    delay: DelayOption = get_setting("delay").default,
    timeout: TimeoutOption = get_setting("timeout").default,
) -> None:
    """Analyse articles (files, folders, globs, WARC, RSS/Atom, JSONL, '-' for stdin, URLs) and store them.

    Pages at URLs are fetched politely (robots.txt, --delay per host). Rerunning
    the command of an interrupted run (Ctrl-C, kill, crash) resumes it. If a
    server holds the store, the work is handed to it (docs/collect.md).
    """
    engine = Engine(engine)
    _use_dictionaries(dictionaries)
    if (address or shard_dir) and engine is not Engine.ray:
        typer.echo("error: --address and --shard-dir: only with --engine ray", err=True)
        raise typer.Exit(EXIT_USAGE)
    inputs = list(paths or [])
    if urls is not None:
        from .ingest.web import read_url_list

        try:
            inputs += read_url_list(urls)
        except NewsgraphError as err:
            raise _fail(err) from None
    if not inputs:
        typer.echo("error: name files, folders or URLs to ingest (or --urls FILE)", err=True)
        raise typer.Exit(EXIT_USAGE)
    report = _run_ingest(inputs, db, _published(published), model, max_bytes, workers=workers,
                         engine=engine.value, address=address, shard_dir=shard_dir,
                         budgets=(time_budget, memory_budget),
                         fetch=_fetch_options(user_agent, delay, timeout, max_bytes))
    if not report.ok:  # some inputs of the run (this attempt or an interrupted one it resumed) failed
        totals = report.totals
        done = totals.get("stored") or totals.get("copy") or totals.get("duplicate")
        raise typer.Exit(EXIT_PARTIAL if done else EXIT_ERROR)


def _run_ingest(paths, db_path, published, model, max_bytes, quiet: bool = False, workers: int | None = None,
                engine: str = "local", address: str | None = None, shard_dir: Path | None = None,
                budgets: tuple[float, float] | None = None, fetch=None):
    """Ingest ``paths`` with a progress bar, print the summary and return the report.

    ``budgets`` (seconds, MiB per input): analyse in worker processes that hold
    each input to them; None: in this process (the bundled sample: no worker
    start-up, nothing hostile).
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .ingest.decode import source_name
    from .models import Failure
    from .pipeline import Pipeline
    from .run.batch import count_inputs, ingest
    from .run.local import default_workers
    from .store import Database

    console = Console(stderr=True)
    try:
        total = count_inputs(paths)
        if engine == "local":
            workers = workers or default_workers()
        pipeline = Pipeline(model) if engine == "local" and budgets is None else None
        time_budget, memory_budget = budgets or (None, None)
        with Database(db_path) as db, Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}", style="progress.data.speed"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=quiet or not console.is_terminal,
        ) as progress:
            task = progress.add_task("ingesting", total=total, rate="")

            def on_result(result) -> None:
                if isinstance(result, Failure):
                    progress.console.print(f"failed: {result.message}", markup=False, highlight=False,
                                           soft_wrap=True)
                progress.advance(task)
                speed = progress.tasks[task].speed
                progress.update(task, rate=f"{speed:.1f} articles/s" if speed else "")

            # A file name that is not UTF-8 is stored with \xNN escapes (a lone surrogate cannot be).
            command = shlex.join(["newsgraph", "ingest", *map(source_name, paths)])
            report = ingest(paths, db, pipeline, published=published, max_bytes=max_bytes, command=command,
                            on_result=on_result, workers=workers, model=model, engine=engine, address=address,
                            shard_dir=shard_dir, time_budget=time_budget, memory_budget=memory_budget, fetch=fetch)
    except StoreLockedError as err:
        _hand_off(db_path, "ingest", [str(p) for p in paths], err, quiet)
    except NewsgraphError as err:
        raise _fail(err) from None
    typer.echo(f"{db_path}: {report.summary()}", err=quiet)
    return report


def _hand_off(db_path: Path, kind: str, inputs: list[str], err: NewsgraphError, quiet: bool = False):
    """Hand ``inputs`` to the server holding the store, print its summary and exit (3 if some failed).

    A server that cannot take work: say what to run instead, and exit 1.
    """
    from .run.watch import local_paths
    from .serve.handoff import hand_off, instead, read_note

    inputs = local_paths(inputs)  # the server reads them from its own working folder
    note = read_note(db_path)
    command = shlex.join(["newsgraph", kind, *inputs[:3], *(["..."] if len(inputs) > 3 else []), "--db", str(db_path)])
    if note is None or not note.get("collects"):
        typer.echo(f"error: {err.source}: the store is in use: {instead(db_path, note, command)} [{err.code}]",
                   err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(f"{db_path}: held by 'newsgraph serve' (pid {note['pid']}); handing the work to it at {note['url']} "
               f"(follow it at {note['url']}/collector). The server's own options apply (model, budgets, delay, "
               "User-Agent, timeout, --published none)", err=True)
    try:
        job = hand_off(note, kind, inputs)
    except NewsgraphError as handoff_err:
        typer.echo(f"error: {handoff_err}; {instead(db_path, note, command)}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    if job["state"] != "done":
        typer.echo(f"error: {db_path}: the server's job {job['id']} failed: {job.get('error')}", err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(f"{db_path}: (by the server) {job['summary']}", err=quiet)
    raise typer.Exit(EXIT_PARTIAL if job.get("failed") else 0)


@app.command("watch")
def watch_cli(
    sources: Annotated[list[str], typer.Argument(
        help="http(s) URLs of RSS/Atom feeds, sitemaps (indexes and news sitemaps too) or section pages.")],
    db: DbOption = Path(get_setting("db").default),
    every: Annotated[Optional[str], typer.Option(
        "--every", metavar="INTERVAL", help="Repeat a round every INTERVAL (30s, 15m, 2h, 1d) until stopped.")] = None,
    once: Annotated[bool, typer.Option("--once", help="Run one round and stop (the default without --every).")] = False,
    model: ModelOption = get_setting("model").default,
    max_bytes: MaxBytesOption = get_setting("max_bytes").default,
    time_budget: TimeBudgetOption = get_setting("time_budget").default,
    memory_budget: MemoryBudgetOption = get_setting("memory_budget").default,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1,
                                                   help="Worker processes (default: all cores).")] = None,
    user_agent: UserAgentOption = get_setting("user_agent").default,
    delay: DelayOption = get_setting("delay").default,
    timeout: TimeoutOption = get_setting("timeout").default,
    dictionaries: DictionariesOption = None,
) -> None:
    """Collect the new articles of feeds, sitemaps and section pages into the store, once or every INTERVAL.

    Each round fetches the sources (conditionally: unchanged ones answer 304), then only the
    article links the store has not settled, politely. A round killed midway resumes when
    the command runs again. If 'newsgraph serve' holds the store, the round is handed to it.
    """
    from rich.console import Console

    from .models import Failure
    from .run.local import default_workers
    from .run.watch import parse_every, watch
    from .store import Database

    if every is not None and once:
        raise typer.BadParameter("--once and --every exclude each other", param_hint="--once")
    try:
        interval = parse_every(every) if every is not None else None
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--every") from None
    _use_dictionaries(dictionaries)
    console = Console(stderr=True)

    def on_result(item) -> None:
        if isinstance(item, Failure):
            console.print(f"failed: {item.message}", markup=False, highlight=False, soft_wrap=True)

    def on_source(check) -> None:
        console.print(check.line(), markup=False, highlight=False, soft_wrap=True)

    def on_round(report) -> None:
        typer.echo(f"{db}: round {report.started_at}: {report.summary()}", err=True)

    failed = False
    try:
        with Database(db) as store:
            reports = watch(sources, store, every=interval, on_round=on_round, on_result=on_result,
                            on_source=on_source, fetch=_fetch_options(user_agent, delay, timeout, max_bytes),
                            workers=workers or default_workers(), model=model, max_bytes=max_bytes,
                            time_budget=time_budget, memory_budget=memory_budget)
            failed = any(not r.run.ok for r in reports if r.run)
    except StoreLockedError as err:
        if interval is not None:
            typer.echo(f"error: {db}: a server holds the store; it can run one round of these sources now (run "
                       "this without --every), or watch them itself: 'newsgraph serve --db "
                       f"{db} --watch SOURCE --every {every}'", err=True)
            raise typer.Exit(EXIT_USAGE) from None
        _hand_off(db, "watch", sources, err)
    except NewsgraphError as err:
        raise _fail(err) from None
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command("show")
def show_cli(
    article_id: Annotated[str, typer.Argument(help="An article id, as printed by ingest or demo.")],
    db: DbOption = Path(get_setting("db").default),
) -> None:
    """Print a stored article's JSON record."""
    from .store import Database

    try:
        with Database(db, read_only=True) as store:
            article = store.get_article(article_id)
    except NewsgraphError as err:
        raise _fail(err) from None
    if article is None:
        typer.echo(f"error: {db}: no article with id {article_id}", err=True)
        raise typer.Exit(EXIT_ERROR)
    typer.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


class ExportFormat(str, enum.Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    gkg = "gkg"


@app.command("serve")
def serve_cli(
    db: DbOption = Path(get_setting("db").default),
    host: Annotated[str, typer.Option("--host", help="Address to bind (default: this machine only; any other "
                                      "address lets anyone who reaches the port read the store).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    allow_writes: Annotated[
        Optional[str],
        typer.Option("--allow-writes", metavar="TOKEN", help="Open the store read-write and accept "
                     "POST /api/articles with 'Authorization: Bearer TOKEN'."),
    ] = None,
    allowed_host: Annotated[
        Optional[list[str]],
        typer.Option("--allowed-host", metavar="NAME", help="Also answer requests whose Host header names NAME "
                     "(repeat for several; '*.example.org' for its subdomains, '*' for any). By default only "
                     "localhost, 127.0.0.1, [::1] and a specific --host address are answered."),
    ] = None,
    workers: Annotated[
        Optional[int],
        typer.Option("--workers", min=1, help="Processes answering requests (default: one per core; "
                     "--allow-writes needs 1)."),
    ] = None,
    time_budget: TimeBudgetOption = get_setting("time_budget").default,
    memory_budget: MemoryBudgetOption = get_setting("memory_budget").default,
    watch: Annotated[Optional[list[str]], typer.Option(
        "--watch", metavar="SOURCE", help="Collect while serving: a feed, sitemap or section page URL to watch "
        "(repeat for several). Opens the store read-write in one process; 'ingest' and 'watch' then hand their "
        "work to this server.")] = None,
    every: Annotated[str, typer.Option("--every", metavar="INTERVAL",
                                       help="With --watch: time between rounds (30s, 15m, 2h).")] = "15m",
    user_agent: UserAgentOption = get_setting("user_agent").default,
    delay: DelayOption = get_setting("delay").default,
    timeout: TimeoutOption = get_setting("timeout").default,
    model: ModelOption = get_setting("model").default,
    max_bytes: MaxBytesOption = get_setting("max_bytes").default,
) -> None:
    """Serve the store's web UI and JSON API (OpenAPI at /docs); read-only unless --allow-writes or --watch."""
    from .run.watch import CollectOptions, parse_every
    from .serve import serve

    if (allow_writes is not None or watch) and (workers or 1) > 1:
        raise typer.BadParameter("--allow-writes and --watch need --workers 1: a store open for writing excludes "
                                 "other processes", param_hint="--workers")
    collect = None
    if watch:
        try:
            collect = CollectOptions(sources=tuple(watch), every=parse_every(every), model=model, max_bytes=max_bytes,
                                     fetch=_fetch_options(user_agent, delay, timeout, max_bytes),
                                     time_budget=time_budget, memory_budget=memory_budget)
        except ValueError as err:
            raise typer.BadParameter(str(err), param_hint="--every") from None
    try:
        serve(db, host=host, port=port, allow_writes=allow_writes, allowed_hosts=tuple(allowed_host or ()),
              workers=workers, time_budget=time_budget, memory_budget=memory_budget, collect=collect)
    except NewsgraphError as err:
        raise _fail(err) from None


@app.command("export")
def export_cli(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="parquet, csv, jsonl or gkg.")],
    out: Annotated[Path, typer.Option("--out", help="Folder (parquet, csv) or file (jsonl, gkg).")],
    db: DbOption = Path(get_setting("db").default),
    since: Annotated[Optional[str], typer.Option("--since", help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Published on or before YYYY-MM-DD.")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Outlet name (articles.site), any case.")] = None,
) -> None:
    """Export stored articles as Parquet, CSV, JSON Lines or a GDELT GKG-like TSV (docs/export.md)."""
    from .store import Database
    from .store.export import export

    try:
        with Database(db, read_only=True) as store:
            written = export(store, fmt.value, out, since=since, until=until, outlet=outlet)
    except NewsgraphError as err:
        raise _fail(err) from None
    for table, path in written["files"].items():
        typer.echo(f"{path}: {written['rows'][table]} rows")


@app.command("demo")
def demo_cli(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to build.")] = Path("newsgraph-demo.duckdb"),
    model: ModelOption = get_setting("model").default,
) -> None:
    """Build a database from the bundled sample corpus and show what newsgraph found."""
    from .store import Database

    sample = resources.files("newsgraph") / "data" / "sample"
    with resources.as_file(sample) as sample_dir:
        # Eight articles: one process is quicker than starting workers that each load the model.
        report = _run_ingest([sample_dir], db, None, model, get_setting("max_bytes").default, workers=1)
    try:
        with Database(db, read_only=True) as store:
            typer.echo(_demo_summary(store, db))
    except NewsgraphError as err:
        raise _fail(err) from None
    if report.failures:
        raise typer.Exit(EXIT_PARTIAL)


def _demo_summary(store, db: Path) -> str:
    counts = store.counts()
    lines = [
        "",
        f"newsgraph demo database: {db}",
        f"  {counts['articles']} articles, {counts['quotes']} quotes, {counts['events']} events, "
        f"{counts['entities']} entities, {counts['places']} places, {counts['dates']} dates, "
        f"{counts['captions']} captions",
        "",
        "Articles:",
    ]
    rows = store.query("SELECT id, coalesce(site, ''), coalesce(CAST(published AS VARCHAR), ''), title "
                       "FROM articles ORDER BY published, title")
    for aid, site, published, title in rows:
        lines.append(f"  {aid}  {published:10}  {site[:22]:22}  {title}")
    lines += ["", "Most quoted speakers (across articles):"]
    for name, role, n_quotes, n_articles in store.query(
        "SELECT c.name, any_value(r.title || coalesce(', ' || r.organisation, '')), count(DISTINCT q.quote_id || q.article_id), "
        "count(DISTINCT q.article_id) FROM quotes q "
        "JOIN entity_links l ON l.article_id = q.article_id AND l.entity_id = q.speaker_entity_id "
        "JOIN canonical_entities c USING (canonical_id) "
        "LEFT JOIN roles r ON r.article_id = q.article_id AND r.entity_id = q.speaker_entity_id "
        "GROUP BY c.canonical_id, c.name ORDER BY 3 DESC, c.name LIMIT 10"
    ):
        lines.append(f"  {name:30} {n_quotes:3} quote(s) in {n_articles} article(s)  {role or ''}")
    lines += ["", "Events (who did what to whom, as reported):"]
    for etype, source, target, date, n in store.query(
        "SELECT type, coalesce(source_text, '?'), coalesce(target_text, '-'), coalesce(date, ''), count(*) "
        "FROM events WHERE status = 'asserted' GROUP BY ALL ORDER BY count(*) DESC, type LIMIT 8"
    ):
        lines.append(f"  {etype:10} {source[:30]:30} -> {target[:30]:30} {date}")
    lines += ["", "Most mentioned people and organisations:"]
    for name, etype, n_articles, n_mentions in store.query(
        "SELECT e.name, e.type, count(DISTINCT e.article_id), count(*) FROM entities e "
        "JOIN mentions m USING (article_id, entity_id) WHERE e.type IN ('PERSON', 'ORG') "
        "GROUP BY e.name, e.type ORDER BY count(*) DESC, e.name LIMIT 10"
    ):
        lines.append(f"  {name:40} {etype:7} {n_mentions:3} mentions in {n_articles} article(s)")
    first = rows[0][0] if rows else "ID"
    exe = _command_name()
    commands = [
        (f"{exe} serve --db {db}", "browse it: http://127.0.0.1:8000 (API docs at /docs)"),
        (f"{exe} show {first} --db {db}", "one article's full record (JSON)"),
        (f"{exe} analyze PAGE.html", "analyse a page of your own"),
        (f"{exe} ingest DIR --db my.duckdb", "build a store from your own corpus"),
    ]
    width = max(len(c) for c, _ in commands)
    lines += ["", "Look further:", *(f"  {c:{width}}  # {why}" for c, why in commands)]
    python = shlex.quote(_relative(Path(sys.executable)))
    lines.append(
        f"  {python} -c \"import duckdb; print(duckdb.connect('{db}', read_only=True).sql("
        "'SELECT name, type, count(*) AS n FROM entities GROUP BY ALL ORDER BY n DESC LIMIT 20'))\""
    )
    return "\n".join(lines)


def _command_name() -> str:
    """Return how the user can call newsgraph: plain if it is on PATH, else its path."""
    import shutil

    if shutil.which("newsgraph"):
        return "newsgraph"
    return _relative(Path(sys.executable).parent / "newsgraph")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _evaluate(evaluate, *args):
    """Return ``evaluate(*args)``, or exit with the one-line error of a bad evaluation file."""
    try:
        return evaluate(*args)
    except NewsgraphError as err:
        raise _fail(err) from None


def _print_prf(scores: dict, rows: tuple[tuple[str, str], ...], width: int = 12) -> None:
    """Print P/R/F1 rows (label, key prefix) of ``scores`` as a small table."""
    typer.echo(f"  {'':{width}} {'P':>6} {'R':>6} {'F1':>6}")
    for label, prefix in rows:
        typer.echo(f"  {label:{width}} {scores[prefix + 'precision']:6.3f} {scores[prefix + 'recall']:6.3f} "
                   f"{scores[prefix + 'f1']:6.3f}")


@eval_app.command("extraction")
def eval_extraction_cli(
    data: Annotated[Path, typer.Option("--data", help="Folder with ground-truth.json and html/ or text/.")],
    as_json: JsonOption = False,
) -> None:
    """Score article-body extraction (article-extraction-benchmark metric)."""
    from .eval.extraction import evaluate_extraction

    scores = _evaluate(evaluate_extraction, data)
    if as_json:
        typer.echo(json.dumps(scores))
        return
    typer.echo(f"extraction on {data} ({scores['pages']} pages, {scores['failures']} failed)")
    for key in ("precision", "recall", "f1", "accuracy"):
        typer.echo(f"  {key:10} {scores[key]:.3f}")
    typer.echo(f"  {'pages/s':10} {scores['pages_per_s']:.1f}")


@eval_app.command("entities")
def eval_entities_cli(
    data: Annotated[Path, typer.Option("--data", help="An entities JSONL file (shared/eval/entities).")],
    as_json: JsonOption = False,
    model: ModelOption = get_setting("model").default,
) -> None:
    """Score named entities: P/R/F1 overall and per type."""
    from .annotate import load_nlp
    from .eval.entities import evaluate_entities

    scores = _evaluate(evaluate_entities, data, _evaluate(load_nlp, model))
    if as_json:
        typer.echo(json.dumps(scores))
        return
    typer.echo(f"entities on {data} ({scores['documents']} documents)")
    typer.echo(f"  {'type':8} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for etype, s in [*scores["per_type"].items(), ("all", scores)]:
        typer.echo(f"  {etype:8} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['gold']:6d}")


@eval_app.command("quotes")
def eval_quotes_cli(
    data: Annotated[Path, typer.Option("--data", help="A quotes JSONL file (shared/eval/quotes).")],
    as_json: JsonOption = False,
    predictions: Annotated[
        Optional[Path], typer.Option("--predictions", help="Write the predictions (gold format + speaker) here.")
    ] = None,
    model: ModelOption = get_setting("model").default,
) -> None:
    """Score quote extraction and attribution: all, direct, speaker accuracy, end to end."""
    from .annotate import load_nlp
    from .eval.quotes import evaluate_quotes

    scores, predicted = _evaluate(evaluate_quotes, data, _evaluate(load_nlp, model))
    if predictions is not None:
        with predictions.open("w", encoding="utf-8") as fh:
            for record in predicted:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    if as_json:
        typer.echo(json.dumps(scores))
        return
    typer.echo(f"quotes on {data}")
    _print_prf(scores, (("all", ""), ("direct", "direct_"), ("end-to-end", "e2e_")))
    typer.echo(f"  speaker accuracy {scores['speaker_accuracy']:.3f} (of {scores['speaker_pairs']} matched quotes)")


@eval_app.command("events")
def eval_events_cli(
    data: Annotated[Path, typer.Option("--data", help="An events JSONL file (shared/eval/events).")],
    as_json: JsonOption = False,
    model: ModelOption = get_setting("model").default,
    dictionaries: DictionariesOption = None,
) -> None:
    """Score event coding: PLOVER type P/R/F1, detection, source and target accuracy.

    With the PETRARCH2 unit tests, load their own dictionaries to score codes:
    --dictionaries ../shared/reference/petrarch2/PETR.Validate.verbs.txt (and .actors, .agents, .discards).
    """
    from .annotate import load_nlp
    from .eval.events import evaluate_events

    _use_dictionaries(dictionaries)
    scores, _ = _evaluate(evaluate_events, data, _evaluate(load_nlp, model))
    if as_json:
        typer.echo(json.dumps(scores))
        return
    typer.echo(f"events on {data}")
    _print_prf(scores, (("type", ""), ("detection", "detection_")))
    typer.echo(f"  source accuracy {scores['source_accuracy']:.3f}, target accuracy {scores['target_accuracy']:.3f}")
    for etype, s in sorted(scores.get("per_type", {}).items()):
        typer.echo(f"    {etype:10} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")


def main() -> None:
    """Entry point of the ``newsgraph`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
