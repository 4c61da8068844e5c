"""The security sub-commands of `linkage`: `keys init`, `keys rotate`, `token issue`, `audit verify`.

`linkage/cli.py` wires them with `add_security_commands(subparsers)`; each handler is a thin call into
the security core and prints paths, ids and verdicts, never key material (a token is printed only by
`token issue`, whose whole purpose is to hand it over).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from linkage.security.keyset import Keyset, ReencryptStats

DEFAULT_KEYS_DIR = "keys"  # shown in help; the resolved default is `linkage.config.default_keys_dir`
KEYSET_FILE = "keyset.json"
MASTER_KEY_FILE = "master.key"
_TTL = re.compile(r"^(\d+)([smh]?)$")

ReencryptJob = Callable[[Keyset], ReencryptStats]
ReencryptJobFor = Callable[[argparse.Namespace], ReencryptJob | None]


def keys_dir(args: argparse.Namespace) -> Path:
    """--keys-dir, else the same default the server uses (`linkage.config.default_keys_dir`)."""
    from linkage.config import load_settings

    if getattr(args, "keys_dir", None):
        return Path(args.keys_dir)
    return load_settings(data_dir=getattr(args, "data_dir", None)).keys_dir


def ensure_keys(root: Path, institutions: tuple[str, ...] | list[str] | None = None,
                force: bool = False) -> tuple[list[Path], Keyset]:
    """Create whatever key material is missing under `root` (idempotent); the files written and the keyset.

    The master key and keyset are never re-created, even with `force`: that would orphan stored data.
    With `LINKAGE_MASTER_KEY` set no master key file is written: the environment holds it.
    """
    from adapters.keys import MASTER_KEY_ENV, FileKeyProvider, KeysetFile, default_key_provider
    from linkage.security.pki import DEFAULT_CLIENTS, init_keys

    _, written = init_keys(root, institutions=institutions or DEFAULT_CLIENTS, force=force)
    if not os.environ.get(MASTER_KEY_ENV) and FileKeyProvider.create(root / MASTER_KEY_FILE):
        written.append(root / MASTER_KEY_FILE)
    keyset_file = KeysetFile(root / KEYSET_FILE, default_key_provider(root))
    keyset, created = keyset_file.create_if_missing()
    if created:
        written.append(keyset_file.path)
    return written, keyset


def parse_ttl(text: str) -> int:
    """'900', '900s', '15m', '2h' -> seconds."""
    match = _TTL.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError("ttl is a number with an optional unit s, m or h (e.g. 15m)")
    return int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def cmd_keys_init(args: argparse.Namespace) -> int:
    root = keys_dir(args)
    if args.force and (root / KEYSET_FILE).exists():
        print("keeping the existing master key and keyset (re-creating them would make stored data "
              "unreadable); use `linkage keys rotate`", file=sys.stderr)
    written, keyset = ensure_keys(root, args.institution, force=args.force)
    for path in written:
        print(f"wrote {path}")
    print(f"keys in {root}: {len(written)} file(s) written, existing ones kept; keyset primary "
          f"key {keyset.primary_id}")
    return 0


def rotate_keys(root: Path, reencrypt_job: ReencryptJob | None = None,
                resume: bool = False) -> tuple[Keyset, ReencryptStats | None]:
    """Add a new primary key to the keyset file, then run the store's re-encryption job if given.

    The job is resumable (`linkage.security.keyset.reencrypt` skips values already under the primary
    key), so an interrupted rotation is finished by running it again.
    """
    from adapters.keys import KeysetFile, default_key_provider

    keyset_file = KeysetFile(root / KEYSET_FILE, default_key_provider(root))
    keyset = keyset_file.load() if resume else keyset_file.rotate()
    return keyset, reencrypt_job(keyset) if reencrypt_job else None


def cmd_keys_rotate(args: argparse.Namespace, reencrypt_job: ReencryptJob | None = None) -> int:
    keyset, stats = rotate_keys(keys_dir(args), reencrypt_job, resume=getattr(args, "resume", False))
    print(f"new primary key {keyset.primary_id}; keys in the set: {', '.join(map(str, keyset.key_ids))}")
    if stats is None:
        print("re-encryption not run here: stored values stay readable under their old keys until it runs")
    else:
        print(f"re-encrypted {stats.rewritten} value(s), {stats.skipped} already current, {stats.seen} seen")
        per_table = getattr(stats, "rows_by_table", {})
        if per_table:
            print("rows re-encrypted: " + ", ".join(f"{table} {n}" for table, n in sorted(per_table.items())))
        remaining = getattr(stats, "remaining", 0)
        if remaining:
            print(f"{remaining} row(s) were written under an older key while the job ran; run "
                  "`linkage keys rotate --resume` to finish")
    return 0


def cmd_token_issue(args: argparse.Namespace) -> int:
    from linkage.security.pki import KeyFiles, load_signing_key
    from linkage.security.tokens import TokenIssuer

    files = KeyFiles(keys_dir(args))
    issuer = TokenIssuer(load_signing_key(files.token_signing_key), issuer=args.issuer,
                         audience=args.audience)
    try:
        print(issuer.issue(args.subject, args.role, args.purpose, ttl_s=args.ttl))
    except ValueError as error:
        print(f"cannot issue: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from adapters.audit_log import JsonlAuditSink
    from linkage.security.audit import verify
    from linkage.security.pki import KeyFiles, load_public_key

    sink = JsonlAuditSink(Path(args.audit_dir))
    public_key = load_public_key(Path(args.public_key) if args.public_key
                                 else KeyFiles(keys_dir(args)).audit_public_key)
    report = verify(sink.entries(), sink.checkpoints(), public_key, head=sink.head(),
                    require_head=not args.allow_missing_head)
    print(report)
    for problem in report.problems[1:]:
        print(f"  also: {problem}")
    return 0 if report.ok else 1


def add_security_commands(sub: argparse._SubParsersAction, default_audit_dir: Callable[[], str],
                          reencrypt_job_for: ReencryptJobFor | None = None) -> None:
    """Register `keys`, `token` and `audit` on the `linkage` parser's sub-command set.

    `reencrypt_job_for(args)` gives `keys rotate` the store's re-encryption job (None: rotate the keyset
    only); `rotate` then also accepts `--data-dir` and `--db` to name the store.
    """
    from linkage.security.principal import Purpose, Role
    from linkage.security.tokens import DEFAULT_AUDIENCE, DEFAULT_ISSUER

    def with_keys(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--keys-dir",
                       help=f"key directory (env LINKAGE_KEYS_DIR, default {DEFAULT_KEYS_DIR}/)")
        return p

    keys = sub.add_parser("keys", help="local key material: CA, certificates, signing keys, keyset")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    init = with_keys(keys_sub.add_parser("init", help="create what is missing under keys/ (idempotent)"))
    init.add_argument("--institution", action="append", metavar="CN",
                      help="client certificate to create (repeatable; default: the development set)")
    init.add_argument("--force", action="store_true", help="re-create CA, certificates and signing keys")
    init.set_defaults(func=cmd_keys_init)
    rotate = with_keys(keys_sub.add_parser(
        "rotate", help="add a new primary key to the keyset and re-encrypt the store under it (resumable)"))
    rotate.add_argument("--data-dir", help="data directory (env LINKAGE_DATA_DIR)")
    rotate.add_argument("--db", help="database URL (env LINKAGE_DB_URL)")
    rotate.add_argument("--resume", action="store_true",
                        help="do not add a key: finish an interrupted re-encryption under the current one")
    rotate.set_defaults(
        func=lambda a: cmd_keys_rotate(a, reencrypt_job_for(a) if reencrypt_job_for else None))

    token = sub.add_parser("token", help="tokens for people (local use)")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    issue = with_keys(token_sub.add_parser("issue", help="print a signed token"))
    issue.add_argument("--subject", "--sub", required=True, help="user id (an identifier, not a name)")
    issue.add_argument("--role", required=True, choices=[r.value for r in Role if not r.is_institution])
    issue.add_argument("--purpose", required=True, choices=[p.value for p in Purpose])
    issue.add_argument("--ttl", type=parse_ttl, default="15m", help="lifetime, e.g. 15m (max 12h)")
    issue.add_argument("--issuer", default=DEFAULT_ISSUER)
    issue.add_argument("--audience", default=DEFAULT_AUDIENCE)
    issue.set_defaults(func=cmd_token_issue)

    audit = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    check = with_keys(audit_sub.add_parser("verify", help="verify chain, checkpoints and head"))
    check.add_argument("--audit-dir", default=None, help="audit log directory (default: <data dir>/audit)")
    check.add_argument("--public-key", help="checkpoint public key (default: keys/audit-signing.pub)")
    check.add_argument("--allow-missing-head", action="store_true",
                       help="do not fail when the signed head file is absent")
    check.set_defaults(func=lambda a: cmd_audit_verify(_with_audit_dir(a, default_audit_dir)))


def _with_audit_dir(args: argparse.Namespace, default: Callable[[], str]) -> argparse.Namespace:
    if args.audit_dir is None:
        args.audit_dir = default()
    return args
