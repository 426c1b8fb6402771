"""`./run etl COMMAND` (`python -m etl`, `bilateral-etl`): the command line of the ETL.

Each command lives in the module of its step; this file only parses arguments."""
from __future__ import annotations

import argparse
import sys

from etl.interrupts import Terminated, exit_status, stop_on_sigterm
from etl.readers import DEFAULT_MAX_BYTES
from etl.settings import DB_ENV, db_path
from etl.version import extractor_version

_DB_HELP = f"the store (default: ${DB_ENV}, else data/indicators.duckdb in the checkout)"


def _megabytes(value: str) -> int:
    try:
        mb = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {value!r}") from None
    if not 0 < mb <= 1e6:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1000000 MB, not {value}")
    return int(mb * 1024 * 1024)


def _add_max_mb(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-mb", dest="max_bytes", type=_megabytes, default=DEFAULT_MAX_BYTES, metavar="MB",
                        help=f"skip (and report) a document larger than this (default {DEFAULT_MAX_BYTES >> 20})")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="etl", description=__doc__)
    p.add_argument("--version", action="version", version=extractor_version(),
                   help="the extractor's version (a digest of its code and tables) and exit")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="articles -> claims (JSON lines), no database")
    ex.add_argument("--input", "-i", default="-", help="a .jsonl file, a .txt file, a folder of .txt files, or - for stdin")
    ex.add_argument("--output", "-o", default="-", help="claims as JSON lines, or - for stdout")
    ex.add_argument("--explain", action="store_true",
                    help="add `trace` to each claim: the named rule (etl/rules.py) that decided each field")
    _add_max_mb(ex)

    ev = sub.add_parser("events", help="articles -> diplomacy events (JSON lines), no database")
    ev.add_argument("--input", "-i", default="-", help="a .jsonl file, a .txt file, a folder of .txt files, or - for stdin")
    ev.add_argument("--output", "-o", default="-", help="events as JSON lines, or - for stdout")
    ev.add_argument("--explain", action="store_true",
                    help="add `trace` to each event: the named rule (etl/event_rules.py) that decided each field")
    _add_max_mb(ev)

    ing = sub.add_parser("ingest", help="files and folders -> the DuckDB store")
    ing.add_argument("paths", nargs="+", metavar="PATH")
    ing.add_argument("--db", default=None, help=_DB_HELP)
    ing.add_argument("--workers", type=int, default=1)
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.add_argument("--publish-every", type=float, default=30.0, metavar="SECONDS",
                     help="on long runs, let readers see the documents loaded so far this often")
    _add_max_mb(ing)

    re_ = sub.add_parser("reextract", help="re-run the current extractor over stored documents")
    re_.add_argument("--db", default=None, help=_DB_HELP)
    re_.add_argument("--all", action="store_true", help="also documents already extracted by this version")
    re_.add_argument("--workers", type=int, default=1)
    re_.add_argument("--quiet", action="store_true", help="no progress bar")

    exp = sub.add_parser("export", help="claims or events with their sources (or groups, conflicts, the series) -> CSV, Parquet, JSON lines")
    exp.add_argument("--what", choices=("claims", "events", "groups", "conflicts", "series"), default="claims",
                     help="claims (claims_with_source, the default); diplomacy events (events_with_source); statement "
                          "groups; conflicts between groups; the consolidated series")
    exp.add_argument("--format", choices=("csv", "parquet", "jsonl"), default="csv")
    exp.add_argument("--db", default=None, help=_DB_HELP)
    exp.add_argument("--output", "-o", default="-", help="a file, or - for stdout (CSV or JSON lines)")

    of = sub.add_parser("official", help="official trade statistics beside the news (UN Comtrade, WITS, plain CSV)")
    of_sub = of.add_subparsers(dest="official_command", required=True)
    oi = of_sub.add_parser("import", help="read official trade statistics (CSV) into the store's official_trade")
    oi.add_argument("files", nargs="+", metavar="FILE",
                    help="UN Comtrade final data, a WITS wide CSV, or reporter,partner,flow,year,value_usd")
    oi.add_argument("--db", default=None, help=_DB_HELP)

    fe = sub.add_parser("fetch", help="news from feeds, sitemaps and pages -> dated snapshots -> the store")
    fe.add_argument("sources", nargs="*", metavar="SOURCE",
                    help="a page, feed, sitemap or home page URL, or a sources file (etl/sources.toml)")
    fe.add_argument("--db", default=None, help=_DB_HELP)
    fe.add_argument("--snapshots", default=None, metavar="DIR",
                    help="the snapshot folder (default: snapshots/ beside the store, i.e. data/snapshots/)")
    fe.add_argument("--since", default=None, metavar="DATE", help="only articles dated on or after this day (ISO)")
    fe.add_argument("--max-pages", type=int, default=None, metavar="N", help="fetch at most N article pages")
    fe.add_argument("--no-ingest", action="store_true", help="only fetch and snapshot; do not load the store")
    fe.add_argument("--delay", type=float, default=1.0, metavar="S",
                    help="seconds between two requests to one host (default 1; robots.txt's Crawl-delay wins)")
    fe.add_argument("--timeout", type=float, default=20.0, metavar="S", help="connect and read timeout (default 20)")
    fe.add_argument("--retries", type=int, default=3, help="retries on 429 and 5xx (default 3)")
    fe.add_argument("--backoff", type=float, default=2.0, metavar="S",
                    help="first wait before a retry when no Retry-After is given, doubled each time (default 2)")
    fe.add_argument("--max-page-mb", dest="max_page_bytes", type=_megabytes, default=5 * 1024 * 1024, metavar="MB",
                    help="skip (with a note) a page larger than this (default 5)")
    fe.add_argument("--watch", default=None, metavar="INTERVAL",
                    help="run again every INTERVAL (900, 15m, 2h) until stopped")
    fe.add_argument("--from-snapshots", default=None, metavar="DIR",
                    help="ingest the pages of a snapshot folder (or one day of it) again, without the network")
    fe.add_argument("--list-sources", action="store_true", help="print the outlets of etl/sources.toml and exit")
    fe.add_argument("--workers", type=int, default=1, help="processes that read and extract pages")
    fe.add_argument("--quiet", action="store_true", help="no progress bar")

    bs = sub.add_parser("build-sample", help="build the database from the bundled corpus in data/samples/")
    bs.add_argument("--db", default=None, help=_DB_HELP)
    bs.add_argument("--if-missing", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    stop_on_sigterm()
    try:
        return _main(argv)
    except KeyboardInterrupt as e:  # the store's commands summarise it themselves; this is everything else
        print("terminated" if isinstance(e, Terminated) else "interrupted", file=sys.stderr)
        return exit_status(e)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        from etl.extract_cli import run_extract

        return run_extract(args.input, args.output, max_bytes=args.max_bytes, explain=args.explain)
    if args.command == "events":
        from etl.extract_cli import run_extract
        from etl.events import extract_events

        return run_extract(args.input, args.output, max_bytes=args.max_bytes, explain=args.explain,
                           extractor=extract_events, what="events")
    if args.command == "official":
        from etl import official

        args.db = str(db_path(args.db))
        return official.run_command(args)

    if args.command == "fetch":
        from etl import fetch

        args.db = str(db_path(args.db))
        return fetch.run_command(args)
    from etl import ingest  # the store's commands

    args.db = str(db_path(args.db))
    return ingest.run_command(args)


if __name__ == "__main__":
    sys.exit(main())
