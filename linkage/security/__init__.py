"""Security core: who is calling (PKI, tokens), what they may do (policy), personal data sealed at rest
(keyset, blind indexes) and a tamper-evident audit chain.

Each module has one job and no global state; the gRPC interceptor in `linkage.api.interceptors` and
the store wire them together. Nothing here logs or raises with personal data inside.
"""
