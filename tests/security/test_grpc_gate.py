"""Every bad credential is refused with the right code, over real mutual TLS on 127.0.0.1."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

import grpc
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from google.rpc import error_details_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_status import rpc_status

from linkage.security import pki, transport
from linkage.security.audit import verify
from linkage.security.policy import LINK_OUTCOME, RECORD_PARENTS
from linkage.security.ratelimit import RateLimiter
from linkage.security.tokens import TokenIssuer

GET_LINK = "/linkage.v1.LinkageService/GetLink"


def _call(channel: grpc.Channel, token: str | None = None, purpose: str | None = None,
          payload: bytes = b"r-1", method: str = GET_LINK) -> bytes:
    metadata = []
    if token is not None:
        metadata.append(("authorization", f"Bearer {token}"))
    if purpose is not None:
        metadata.append(("x-linkage-purpose", purpose))
    return channel.unary_unary(method)(payload, metadata=metadata, timeout=10)


def _refusal(error: grpc.RpcError) -> tuple[grpc.StatusCode, str]:
    status = rpc_status.from_call(error)
    assert status is not None, f"no google.rpc.Status on {error.code()}"
    info = error_details_pb2.ErrorInfo()
    assert any(d.Unpack(info) for d in status.details)
    return error.code(), info.reason


def _refused(channel: grpc.Channel, **kwargs: object) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as caught:
        _call(channel, **kwargs)  # type: ignore[arg-type]
    return _refusal(caught.value)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(clock_now: float, **overrides: object) -> dict:
    claims = {"iss": "linkage-dev", "aud": "linkage", "sub": "steward-7", "role": "steward",
              "purpose": "data_quality_review", "iat": int(clock_now), "nbf": int(clock_now),
              "exp": int(clock_now) + 600, "jti": "j1"}
    claims.update(overrides)
    return claims


# --- institutions by client certificate ---------------------------------------------------------------

def test_institution_certificate_is_the_principal_and_sees_no_parents(serve, keys):
    served = serve()
    answer = _call(served.channel(transport.client_credentials(keys.root, "child-protection-db"))).decode()
    kind, principal, role, fields = answer.split("|")
    assert (kind, principal, role) == ("institution", "child-protection-db", "institution:child_protection")
    assert set(fields.split(",")) == LINK_OUTCOME
    assert not set(fields.split(",")) & RECORD_PARENTS


def test_no_certificate_fails_the_handshake(serve, keys):
    served = serve(require_client_auth=True)
    with pytest.raises(grpc.RpcError) as caught:
        _call(served.channel(transport.client_credentials(keys.root, client=None)))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def test_no_certificate_and_no_token_is_unauthenticated_when_certificates_are_optional(serve, keys):
    served = serve(require_client_auth=False)
    channel = served.channel(transport.client_credentials(keys.root, client=None))
    assert _refused(channel) == (grpc.StatusCode.UNAUTHENTICATED, "NO_CREDENTIALS")


@pytest.mark.parametrize("holder", ["ours", "other CA"])
def test_optional_client_auth_never_trusts_a_certificate(serve, keys, other_keys, holder):
    """Without required client auth no certificate is even requested, so none can name a caller."""
    issued_by = keys if holder == "ours" else other_keys
    credentials = grpc.ssl_channel_credentials(
        root_certificates=keys.ca_cert.read_bytes(),
        private_key=issued_by.client_key("child-protection-db").read_bytes(),
        certificate_chain=issued_by.client_cert("child-protection-db").read_bytes())
    channel = serve(require_client_auth=False).channel(credentials)
    assert _refused(channel) == (grpc.StatusCode.UNAUTHENTICATED, "NO_CREDENTIALS")


def test_health_needs_no_principal(serve, keys):
    served = serve(require_client_auth=False)
    stub = health_pb2_grpc.HealthStub(served.channel(transport.client_credentials(keys.root, client=None)))
    reply = stub.Check(health_pb2.HealthCheckRequest(), timeout=10)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_certificate_from_another_ca_fails_the_handshake(serve, keys, other_keys):
    served = serve()
    credentials = grpc.ssl_channel_credentials(
        root_certificates=keys.ca_cert.read_bytes(),
        private_key=other_keys.client_key("child-protection-db").read_bytes(),
        certificate_chain=other_keys.client_cert("child-protection-db").read_bytes())
    with pytest.raises(grpc.RpcError) as caught:
        _call(served.channel(credentials))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def test_expired_client_certificate_fails_the_handshake(serve, keys):
    served = serve()
    now = dt.datetime.now(dt.UTC)
    cert, key = pki.issue_certificate(pki.load_certificate(keys.ca_cert), pki.load_tls_key(keys.ca_key),
                                      "child-protection-db", server=False,
                                      not_before=now - dt.timedelta(days=30),
                                      not_after=now - dt.timedelta(days=1))
    credentials = grpc.ssl_channel_credentials(
        root_certificates=keys.ca_cert.read_bytes(),
        private_key=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()),
        certificate_chain=cert.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(grpc.RpcError) as caught:
        _call(served.channel(credentials))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


def test_certificate_of_our_ca_but_no_agreement_is_unauthenticated(serve, keys):
    served = serve()
    channel = served.channel(transport.client_credentials(keys.root, "linkage-tools"))
    assert _refused(channel) == (grpc.StatusCode.UNAUTHENTICATED, "UNKNOWN_INSTITUTION")


def test_institution_cannot_declare_a_purpose_outside_its_agreement(serve, keys):
    channel = serve().channel(transport.client_credentials(keys.root, "child-protection-db"))
    unauthenticated = grpc.StatusCode.UNAUTHENTICATED
    assert _refused(channel, purpose="origin_tracing") == (unauthenticated, "PURPOSE_NOT_AGREED")
    assert _refused(channel, purpose="no-such-purpose") == (unauthenticated, "UNKNOWN_PURPOSE")


# --- people by token ---------------------------------------------------------------------------------

@pytest.fixture()
def tools_channel(serve, keys) -> grpc.Channel:
    return serve().channel(transport.client_credentials(keys.root, "linkage-tools"))


def test_valid_token_names_the_person_and_wins_over_the_certificate(tools_channel, issuer):
    token = issuer.issue("steward-7", "steward", "data_quality_review")
    kind, principal, role, fields = _call(tools_channel, token=token).decode().split("|")
    assert (kind, principal, role) == ("person", "steward-7", "steward")
    assert set(fields.split(",")) >= RECORD_PARENTS


def test_token_wins_over_an_institution_certificate(serve, keys, issuer):
    channel = serve().channel(transport.client_credentials(keys.root, "child-protection-db"))
    token = issuer.issue("auditor-1", "auditor", "audit")
    assert _refused(channel, token=token) == (grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED")


def test_expired_token_refused(tools_channel, issuer, clock):
    token = issuer.issue("steward-7", "steward", "data_quality_review", ttl_s=900)
    clock.now += 900 + 31
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_EXPIRED")


def test_wrong_audience_refused(tools_channel, keys, clock):
    other = TokenIssuer(pki.load_signing_key(keys.token_signing_key), audience="another-service", clock=clock)
    token = other.issue("steward-7", "steward", "data_quality_review")
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_AUDIENCE")


def test_wrong_issuer_refused(tools_channel, keys, clock):
    other = TokenIssuer(pki.load_signing_key(keys.token_signing_key), issuer="someone-else", clock=clock)
    token = other.issue("steward-7", "steward", "data_quality_review")
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_ISSUER")


def test_tampered_token_refused(tools_channel, issuer):
    header, payload, signature = issuer.issue("steward-7", "steward", "data_quality_review").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "senior_steward"
    forged = ".".join([header, _b64url(json.dumps(claims).encode()), signature])
    assert _refused(tools_channel, token=forged) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_SIGNATURE")


def test_alg_none_token_refused(tools_channel, clock):
    payload = _b64url(json.dumps(_claims(clock.now)).encode())
    token = ".".join([_b64url(b'{"alg":"none","typ":"JWT"}'), payload, ""])
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_ALGORITHM")


def test_hs256_signed_with_the_public_key_refused(tools_channel, keys, clock):
    """The classic key-confusion attack: HMAC with the (public) verification key as the secret."""
    signing_input = ".".join([_b64url(b'{"alg":"HS256","typ":"JWT"}'),
                              _b64url(json.dumps(_claims(clock.now)).encode())])
    mac = hmac.new(keys.token_public_key.read_bytes(), signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + _b64url(mac)
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_ALGORITHM")


def test_token_signed_by_an_unknown_key_refused(tools_channel, clock):
    token = TokenIssuer(Ed25519PrivateKey.generate(), clock=clock).issue("steward-7", "steward",
                                                                        "data_quality_review")
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_UNKNOWN_KEY")


def test_token_for_another_role_is_permission_denied(tools_channel, issuer):
    token = issuer.issue("auditor-1", "auditor", "audit")
    assert _refused(tools_channel, token=token) == (grpc.StatusCode.PERMISSION_DENIED, "POLICY_DENIED")


def test_garbage_authorization_refused(tools_channel):
    assert _refused(tools_channel, token="not-a-jwt") == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_MALFORMED")


def test_person_cannot_switch_purpose_per_call(tools_channel, issuer):
    token = issuer.issue("steward-7", "steward", "data_quality_review")
    refused = _refused(tools_channel, token=token, purpose="origin_tracing")
    assert refused == (grpc.StatusCode.UNAUTHENTICATED, "PURPOSE_MISMATCH")
    assert _call(tools_channel, token=token, purpose="data_quality_review").startswith(b"person|steward-7|")


# --- the rest of the gate ----------------------------------------------------------------------------

def test_method_missing_from_the_action_table_is_denied(serve, keys):
    channel = serve().channel(transport.client_credentials(keys.root, "child-protection-db"))
    refused = _refused(channel, method="/linkage.v1.LinkageService/NotInTheTable")
    assert refused == (grpc.StatusCode.PERMISSION_DENIED, "UNKNOWN_METHOD")


def test_rate_limit_per_principal(serve, keys):
    served = serve(rate_limiter=RateLimiter(rate_per_s=0.01, burst=3))
    busy = served.channel(transport.client_credentials(keys.root, "child-protection-db"))
    for _ in range(3):
        _call(busy)
    with pytest.raises(grpc.RpcError) as caught:
        _call(busy)
    assert _refusal(caught.value) == (grpc.StatusCode.RESOURCE_EXHAUSTED, "RATE_LIMITED")
    retry = error_details_pb2.RetryInfo()
    assert any(d.Unpack(retry) for d in rpc_status.from_call(caught.value).details)
    assert retry.retry_delay.seconds > 0
    # Another institution has its own bucket.
    _call(served.channel(transport.client_credentials(keys.root, "adoption-files")))


def test_failed_attempts_are_rate_limited_per_address(serve, keys, issuer):
    served = serve(rate_limiter=RateLimiter(rate_per_s=0.01, burst=2))
    tools = served.channel(transport.client_credentials(keys.root, "linkage-tools"))
    assert _refused(tools, token="guess-1")[0] == grpc.StatusCode.UNAUTHENTICATED
    assert _refused(tools, token="guess-2")[0] == grpc.StatusCode.UNAUTHENTICATED
    assert _refused(tools, token="guess-3") == (grpc.StatusCode.RESOURCE_EXHAUSTED, "RATE_LIMITED")
    # A caller that authenticates has its own bucket and is not held back by the guesser.
    _call(tools, token=issuer.issue("steward-7", "steward", "data_quality_review"))


def test_oversize_message_refused(serve, keys):
    served = serve(max_message_bytes=1024)
    channel = served.channel(transport.client_credentials(keys.root, "child-protection-db"))
    with pytest.raises(grpc.RpcError) as caught:
        _call(channel, payload=b"x" * 4096)
    assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED


def test_streaming_call_sees_the_principal(serve, keys):
    channel = serve().channel(transport.client_credentials(keys.root, "adoption-files"))
    link_records = channel.stream_stream("/linkage.v1.LinkageService/LinkRecords")
    replies = list(link_records(iter([b"a", b"b"]), timeout=10))
    assert replies == [b"adoption-files:a", b"adoption-files:b"]


def test_every_call_is_audited_with_its_outcome_and_no_secrets(serve, keys, issuer, audit_log):
    served = serve()
    institution = served.channel(transport.client_credentials(keys.root, "child-protection-db"))
    tools = served.channel(transport.client_credentials(keys.root, "linkage-tools"))
    _call(institution)
    with pytest.raises(grpc.RpcError):
        _call(institution, payload=b"missing")
    token = issuer.issue("auditor-1", "auditor", "audit")
    _refused(tools, token=token)
    _refused(tools, token="not-a-jwt")
    list(institution.stream_stream("/linkage.v1.LinkageService/LinkRecords")(iter([b"a"]), timeout=10))

    sink = audit_log.sink
    entries = list(sink.entries())
    assert [(e.principal_id, e.action, e.outcome) for e in entries] == [
        ("child-protection-db", "linkage.get_link", "ok"),
        ("child-protection-db", "linkage.get_link", "error:NOT_FOUND"),
        ("auditor-1", "linkage.get_link", "refused:POLICY_DENIED"),
        ("-", "linkage.get_link", "refused:TOKEN_MALFORMED"),
        ("child-protection-db", "linkage.link_batch", "ok"),
    ]
    assert entries[0].resource_ids == ("link/child_registry/r-1",)
    assert set(entries[0].fields) == LINK_OUTCOME
    report = verify(entries, sink.checkpoints(), pki.load_public_key(keys.audit_public_key), head=sink.head())
    assert report.ok, report
    assert token not in sink.entries_path.read_text()
