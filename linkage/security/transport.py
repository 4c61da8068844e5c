"""gRPC transport security and limits: TLS credentials from keys/, message sizes, the insecure shout.

With `require_client_auth=True` (the default) the server demands a client certificate signed by the
CA in keys/: a caller without one, or with one from another CA or expired, fails the TLS handshake and
never reaches the interceptor. With False, gRPC does not request client certificates at all (so none
can be presented unverified): only bearer tokens authenticate, and the interceptor refuses calls
without one (UNAUTHENTICATED). Institutions therefore need the default.
"""

from __future__ import annotations

import logging
from pathlib import Path

import grpc

from linkage.security.pki import KeyFiles, read_key_file

DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024

INSECURE_BANNER = (
    "!!! INSECURE: serving gRPC in PLAINTEXT (--insecure). No TLS, no client certificates: every byte, "
    "including personal data and bearer tokens, crosses the network readable. Development only. !!!"
)


def server_credentials(keys_dir: str | Path, require_client_auth: bool = True) -> grpc.ServerCredentials:
    files = KeyFiles(Path(keys_dir))
    return grpc.ssl_server_credentials(
        [(read_key_file(files.server_key), read_key_file(files.server_cert))],
        root_certificates=read_key_file(files.ca_cert),
        require_client_auth=require_client_auth,
    )


def client_credentials(keys_dir: str | Path, client: str | None = "linkage-tools") -> grpc.ChannelCredentials:
    """Credentials for a client that trusts the dev CA and, unless `client` is None, presents a cert."""
    files = KeyFiles(Path(keys_dir))
    if client is None:
        return grpc.ssl_channel_credentials(root_certificates=read_key_file(files.ca_cert))
    return grpc.ssl_channel_credentials(
        root_certificates=read_key_file(files.ca_cert),
        private_key=read_key_file(files.client_key(client)),
        certificate_chain=read_key_file(files.client_cert(client)),
    )


def message_size_options(max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> list[tuple[str, int]]:
    """Server or channel options that bound message sizes (oversize calls fail RESOURCE_EXHAUSTED)."""
    return [("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes)]


def warn_insecure(log: logging.Logger) -> None:
    """Shout, in the logs and on every line of a banner, that the server runs without TLS."""
    for _ in range(3):
        log.critical(INSECURE_BANNER)
