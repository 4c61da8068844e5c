"""The `linkage` command: one entry point for operators, each sub-command a thin call into the core.

Heavy modules are imported inside the handlers so `linkage --help` stays instant.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.sources.commands import add_import_commands
from linkage.config import DEFAULT_ADDRESS, Settings, load_settings
from linkage.security.commands import add_security_commands

log = logging.getLogger("linkage")
KEYS_DIR_HELP = "key directory (env LINKAGE_KEYS_DIR; default ./keys if present, else <data dir>/keys)"


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(data_dir=args.data_dir, db_url=args.db, address=getattr(args, "address", None),
                         keys_dir=getattr(args, "keys_dir", None), insecure=getattr(args, "insecure", False))


def cmd_serve(args: argparse.Namespace) -> int:
    from linkage.api.server import serve
    from linkage.bootstrap import bootstrap
    from linkage.console import console_for_app, start_console
    from linkage.demo import demo_query, load_demo_population
    from linkage.review.demo import load_demo_queue
    from linkage.tracing.demo import load_demo_tracing

    settings = _settings(args)
    processes = settings.processes if args.processes is None else args.processes
    if processes < 1:
        print("--processes must be at least 1", file=sys.stderr)
        return 2
    follow_from = datetime.now(UTC) - timedelta(seconds=settings.catchup_lag_s)  # before the index reads
    app = bootstrap(settings)
    if args.demo:
        added = load_demo_population(app, size=args.demo_size)
        if added:
            log.info("demo population loaded: %d identities", added)
        cases = load_demo_queue(app.matcher, app.uow)
        if cases:
            log.info("demo review queue: %d cases", cases)
        load_demo_tracing(app)  # after the queue: the queue loads only while it is empty
    if processes > 1:
        example = demo_query(app) if args.demo else ""
        return _serve_processes(app, processes, args.console, example, follow_from)
    console = None
    if args.console != "off":
        host, port = _host_port(args.console)
        console = start_console(console_for_app(app), host, port)
    example = demo_query(app) if args.demo else ""
    _print_how_to_call(settings, console.url if console else "", example)
    try:
        serve(app, settings.address, follow_from=follow_from)
    finally:
        if console:
            console.stop()
        app.close()
    return 0


def _serve_processes(app, processes: int, console_at: str, example: str, follow_from: datetime) -> int:
    """`serve --processes N`: workers forked from this bootstrapped process (linkage.api.workers)."""
    from linkage.api.workers import serve_processes

    console = None if console_at == "off" else _host_port(console_at)
    _print_how_to_call(app.settings, f"http://{console[0]}:{console[1]}" if console else "", example)
    try:
        return serve_processes(app, processes, app.settings.address, follow_from=follow_from, console=console)
    finally:
        app.close()


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host or "127.0.0.1", int(port)


def cmd_console(args: argparse.Namespace) -> int:
    from linkage.bootstrap import bootstrap
    from linkage.console import console_for_app, run_console

    app = bootstrap(_settings(args))
    host, port = _host_port(args.listen)
    print(f"stewards' console: http://{host}:{port}/  (sign in with a token from `linkage token issue "
          "--sub steward-1 --role steward --purpose data_quality_review`)", flush=True)
    try:
        run_console(console_for_app(app), host, port)
    finally:
        app.close()
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from linkage.bootstrap import bootstrap
    from linkage.engine.training import train_from_store

    app = bootstrap(_settings(args))
    before = app.matcher.model_version
    model = train_from_store(app.uow())
    print(f"trained model {model.version} (was {before}); stored, used from the next start")
    app.close()
    return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write the index snapshot a restart maps: from the current one plus the store's changes since (or,
    with --rebuild, from the whole store)."""
    from datetime import timedelta

    from linkage.bootstrap import load_matcher, load_security, open_store, write_snapshot
    from linkage.engine.snapshot import SnapshotError

    settings = _settings(args)
    store = open_store(settings, load_security(settings))
    try:
        watermark = datetime.now(UTC) - timedelta(seconds=settings.snapshot_lag_s)
        matcher = load_matcher(settings, store, rebuild=args.rebuild, may_write=False)
        print(write_snapshot(settings, matcher, watermark))
    except SnapshotError as error:
        print(f"snapshot not written: {error}", file=sys.stderr)
        return 1
    finally:
        store.dispose()
    return 0


def cmd_review_report(args: argparse.Namespace) -> int:
    import json

    from linkage.bootstrap import bootstrap
    from linkage.review.feedback import agreement_report

    app = bootstrap(_settings(args))
    print(json.dumps(agreement_report(app.uow()), indent=2, ensure_ascii=False, default=str))
    app.close()
    return 0


def _print_how_to_call(settings: Settings, console_url: str = "", example: str = "") -> None:
    address, keys = settings.address, settings.keys_dir
    tls = "-plaintext" if settings.insecure else (
        f"-cacert {keys}/ca.crt -cert {keys}/clients/linkage-tools.crt -key {keys}/clients/linkage-tools.key")
    insecure = " --insecure" if settings.insecure else ""
    print(
        f"linkage is serving gRPC on {address} (health, reflection, linkage.v1 services)"
        f"{' IN PLAINTEXT (--insecure)' if settings.insecure else ' over mutual TLS'}\n"
        f"  try:  .venv/bin/linkage match --address {address}{insecure} "
        f"{example or '--name NAME --dob YYYY-MM-DD'}\n"
        f"  or:   TOKEN=$(.venv/bin/linkage token issue --sub steward-1 --role steward "
        f"--purpose data_quality_review)\n"
        f"        grpcurl {tls} -H \"authorization: Bearer $TOKEN\" "
        f"-d '{{\"record\": {{\"source\": \"SOURCE_CHILD_REGISTRY\", "
        f"\"record_id\": \"demo-1\", \"full_name\": \"Nguyen Thi Lan\"}}}}' "
        f"{address} linkage.v1.LinkageService/MatchRecord\n"
        f"  audit: .venv/bin/linkage audit verify --data-dir {settings.data_dir}\n"
        + (f"  stewards' console: {console_url}  (sign in with a token: "
           ".venv/bin/linkage token issue --sub steward-1 --role steward --purpose data_quality_review)\n"
           if console_url else "")
        + "  stop: Ctrl-C (graceful)",
        flush=True,
    )


def cmd_synth(args: argparse.Namespace) -> int:
    from linkage.synth import generate

    manifest = generate(Path(args.out), population=args.population, records=args.records, seed=args.seed,
                        progress=True)
    print(f"wrote {args.out}: {manifest.get('counts', manifest)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from adapters.sources.commands import run_import

    return run_import(args, _settings(args))


def cmd_link(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from adapters.csv_io import LinkResultWriter, parse_mapping, read_records
    from linkage.bootstrap import bootstrap
    from linkage.errors import InvalidRecord
    from linkage.services.batch import link_records

    if args.processes < 1:
        raise SystemExit("linkage link: --processes must be at least 1")
    if args.engine == "spark":
        try:
            from adapters.spark.link import link_with_spark
            from adapters.spark.session import parse_conf, spark_session
        except ImportError as missing:
            raise SystemExit("--engine spark needs the spark extra: pip install 'linkage[spark]' "
                             f"({missing})") from None
        try:
            conf = parse_conf(args.spark_conf)
        except ValueError as bad:
            raise SystemExit(f"linkage link: {bad}") from None
    app = bootstrap(_settings(args))
    rejected = 0

    def reject(line: int, why: str) -> None:
        nonlocal rejected
        rejected += 1
        print(f"line {line}: rejected: {why}", file=sys.stderr)

    def on_spark(rows):  # Spark decides; each result is kept through the same use case, in order
        with spark_session(args.spark_master, conf) as spark:
            yield from link_with_spark(spark, app.matcher, rows, app.uow)

    with LinkResultWriter(Path(args.output)) as writer:
        rows = read_records(Path(args.file), args.source, parse_mapping(args.map), on_reject=reject)
        answers = (on_spark(rows) if args.engine == "spark"
                   else link_records(rows, app.matcher, app.uow, args.processes))
        for line, answer in tqdm(answers, unit=" records", desc="link", disable=None):
            if isinstance(answer, InvalidRecord):
                reject(line, str(answer))
            else:
                writer.write(answer)
    app.close()
    print(f"wrote {args.output}; rejected {rejected}")
    return 1 if rejected else 0


def cmd_match(args: argparse.Namespace) -> int:
    from linkage.api.client import match
    from linkage.domain import PersonRecord, Sex
    from linkage.security import pki, transport
    from linkage.security.tokens import TokenIssuer

    record = PersonRecord(
        source=args.source, record_id=args.id, full_name=args.name, sex=Sex(args.sex),
        birth_date=args.dob, birth_place=args.place, mother_name=args.mother, father_name=args.father,
        pid=args.pid,
    )
    keys_dir = load_settings(keys_dir=args.keys_dir).keys_dir
    token = args.token
    if token is None:  # development default: a short-lived token signed with the local keys/
        issuer = TokenIssuer(pki.load_signing_key(pki.KeyFiles(keys_dir).token_signing_key))
        token = issuer.issue(args.subject, args.role, args.purpose, ttl_s=300)
    credentials = None if args.insecure else transport.client_credentials(keys_dir, args.client_cert)
    result = match(args.address, record, timeout=args.timeout, credentials=credentials, token=token or None)
    print(f"decision: {result.decision.value}  (model {result.model_version})")
    for conflict in result.conflicts:
        print(f"conflict: {conflict}")
    for rank, candidate in enumerate(result.candidates, 1):
        print(f"{rank}. {candidate.identity_id} pid={candidate.pid or '-'} "
              f"p={candidate.probability:.4f} weight={candidate.weight:+.2f}")
        for c in candidate.contributions:
            tf = f" (tf {c.tf_adjustment:+.2f})" if c.tf_adjustment else ""
            print(f"     {c.field:<14} {c.level:<18} {c.weight:+6.2f}{tf}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="linkage", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_store(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--data-dir", help="data directory (env LINKAGE_DATA_DIR)")
        p.add_argument("--db", help="database URL (env LINKAGE_DB_URL); default SQLite in the data directory")
        return p

    serve = with_store(sub.add_parser("serve", help="run the gRPC server"))
    serve.add_argument("--address", help=f"HOST:PORT (default {DEFAULT_ADDRESS}, env LINKAGE_ADDRESS)")
    serve.add_argument("--demo", action="store_true", help="load a synthetic demo population on first start")
    serve.add_argument("--demo-size", type=int, default=20_000)
    serve.add_argument("--keys-dir", help=KEYS_DIR_HELP)
    serve.add_argument("--console", default="127.0.0.1:8080",
                       help="HOST:PORT of the stewards' web console, or 'off' (default 127.0.0.1:8080)")
    serve.add_argument("--insecure", action="store_true",
                       help="serve PLAINTEXT gRPC without TLS (development only; tokens still required)")
    serve.add_argument("--processes", type=int, default=None,
                       help="server processes on the one port (env LINKAGE_PROCESSES, default 1): about one "
                            "per core for many concurrent callers (README: Serving on several cores)")
    serve.set_defaults(func=cmd_serve)

    console = with_store(sub.add_parser("console", help="run the stewards' web console"))
    console.add_argument("--listen", default="127.0.0.1:8080", help="HOST:PORT (default 127.0.0.1:8080)")
    console.add_argument("--keys-dir", help=KEYS_DIR_HELP)
    console.set_defaults(func=cmd_console)

    train = with_store(sub.add_parser(
        "train", help="re-estimate the model from the store's records and the stewards' decisions"))
    train.add_argument("--keys-dir", help=KEYS_DIR_HELP)
    train.set_defaults(func=cmd_train)

    review = sub.add_parser("review", help="review queue reports")
    review_sub = review.add_subparsers(dest="what", required=True)
    report = with_store(review_sub.add_parser("report", help="stewards' agreement and model precision"))
    report.add_argument("--keys-dir", help=KEYS_DIR_HELP)
    report.set_defaults(func=cmd_review_report)

    snap = with_store(sub.add_parser("snapshot", help="write the index snapshot a restart loads in seconds"))
    snap.add_argument("--keys-dir", help=KEYS_DIR_HELP)
    snap.add_argument("--rebuild", action="store_true", help="rebuild from the whole store, not the snapshot")
    snap.set_defaults(func=cmd_snapshot)

    synth = sub.add_parser("synth", help="generate a synthetic population, source records and truth")
    synth.add_argument("--population", type=int, default=100_000)
    synth.add_argument("--records", type=int, default=5_000)
    synth.add_argument("--seed", type=int, default=7)
    synth.add_argument("--out", default="out/synth")
    synth.set_defaults(func=cmd_synth)

    imp = sub.add_parser("import", help="import data")
    imp_sub = imp.add_subparsers(dest="what", required=True)
    add_import_commands(imp_sub, with_store, run=cmd_import)

    link = with_store(sub.add_parser("link", help="match every record of a CSV file"))
    link.add_argument("file")
    link.add_argument("--output", required=True)
    link.add_argument("--source", help="every row's source (default: the file's source column; a row "
                                        "that names none is child_registry)")
    link.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN")
    link.add_argument("--engine", choices=["inprocess", "spark"], default="inprocess",
                      help="inprocess (default) or spark: the same decisions, run as Spark joins "
                           "(needs the spark extra)")
    link.add_argument("--processes", type=int, default=1,
                      help="inprocess: decide in N forked processes sharing the index (default 1)")
    link.add_argument("--spark-master", default="local[*]", help="Spark master URL (default local[*])")
    link.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE",
                      help="a Spark setting, e.g. spark.driver.memory=8g (repeatable)")
    link.set_defaults(func=cmd_link)

    match = sub.add_parser("match", help="match one record against a running server")
    match.add_argument("--address", default=DEFAULT_ADDRESS)
    match.add_argument("--name", required=True)
    match.add_argument("--sex", default="U", choices=["M", "F", "U"])
    match.add_argument("--dob", default="")
    match.add_argument("--place", default="")
    match.add_argument("--mother", default="")
    match.add_argument("--father", default="")
    match.add_argument("--pid", default="")
    match.add_argument("--source", default="child_registry")
    match.add_argument("--id", default="cli-1")
    match.add_argument("--timeout", type=float, default=10.0)
    match.add_argument("--keys-dir", help=KEYS_DIR_HELP)
    match.add_argument("--client-cert", default="linkage-tools",
                       help="client certificate CN under keys/clients")
    match.add_argument("--token", help="bearer token (default: a 5-minute dev token from keys/; '' for none)")
    match.add_argument("--subject", default="cli-steward", help="dev token subject")
    match.add_argument("--role", default="steward", help="dev token role")
    match.add_argument("--purpose", default="data_quality_review", help="dev token purpose")
    match.add_argument("--insecure", action="store_true", help="plaintext channel (for `serve --insecure`)")
    match.set_defaults(func=cmd_match)

    add_security_commands(sub, default_audit_dir=lambda: str(load_settings().audit_dir),
                          reencrypt_job_for=_reencrypt_job)
    return parser


def _reencrypt_job(args: argparse.Namespace):  # noqa: ANN202 - a ReencryptJob
    """The store's re-encryption job for `keys rotate`, on the store the flags or environment name."""
    from adapters.store import Store, StoreCrypto
    from adapters.store.rotation import reencrypt_store

    settings = load_settings(data_dir=args.data_dir, db_url=args.db, keys_dir=args.keys_dir)

    def job(keyset):  # noqa: ANN001, ANN202
        store = Store(settings.db_url, StoreCrypto(keyset))
        try:
            store.migrate()
            return reencrypt_store(store, keyset)
        finally:
            store.dispose()

    return job


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
