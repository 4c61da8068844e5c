"""The stewards' web console: server-rendered pages over the same review use cases as the gRPC API.

Sign-in takes a token issued by `linkage token issue` and checks it with the same `TokenVerifier` as the
gRPC gate; the token is kept in a signed, HttpOnly, SameSite=Strict session cookie and verified again on
every request (so expiry applies). Every page and action asks `linkage.security.policy.decide` first,
every POST carries the session's CSRF token, and every view of a case and every decision is appended
to the audit log (identifiers only). No asset comes from the internet: CSS and the few lines of
keyboard JavaScript are served from `static/`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from linkage.api.review_servicer import audit_id
from linkage.bootstrap import App
from linkage.console.diff import diff_values
from linkage.console.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from linkage.domain import Source
from linkage.errors import NotFound
from linkage.review import service
from linkage.review.model import CaseFilter, CaseState, InvalidReviewRequest, Outcome, ReviewConflict
from linkage.review.service import ReviewSettings, Steward
from linkage.security.audit import AuditLog
from linkage.security.errors import AuthenticationError
from linkage.security.policy import STEWARD_VIEW, Action, decide
from linkage.security.principal import Principal, Role
from linkage.security.tokens import TokenVerifier

HERE = Path(__file__).parent
COMPARED_FIELDS = ("full_name", "sex", "birth_date", "birth_place", "mother_name", "father_name", "pid")
SESSION_COOKIE = "linkage_console"
SESSION_MAX_AGE_S = 12 * 3600
QUEUE_PAGE = 50
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Console:
    """What every handler needs; one per console app."""

    app: App
    verifier: TokenVerifier
    audit_log: AuditLog | None
    clock: Clock
    settings: ReviewSettings
    templates: Environment

    # --- who is calling, and may they --------------------------------------------------------------
    def principal(self, request: Request) -> Principal | None:
        token = request.session.get("token")
        if not token:
            return None
        try:
            return self.verifier.verify(token)
        except AuthenticationError:
            request.session.clear()
            return None

    def gate(self, request: Request, action: Action) -> Principal | Response:
        """The principal when the policy allows `action`; otherwise the response to send instead."""
        principal = self.principal(request)
        if principal is None:
            return RedirectResponse("/login", status_code=303)
        decision = decide(principal, action, principal.purpose)
        if not decision.allowed:
            self.audit(principal, action.value, "refused:POLICY_DENIED")
            return self.page(request, "message.html", {"message_key": "denied"}, status_code=403)
        return principal

    def check_csrf(self, request: Request, form: Any) -> bool:
        expected = request.session.get("csrf", "")
        return bool(expected) and secrets.compare_digest(str(form.get("csrf", "")), expected)

    def audit(self, principal: Principal | None, action: str, outcome: str, resource_ids: list[str] = (),
              fields: frozenset[str] = frozenset()) -> None:
        if self.audit_log is None:
            return
        self.audit_log.append(
            principal_id=principal.id if principal else "-",
            principal_kind=principal.kind if principal else "anonymous",
            role=principal.role.value if principal else "-", action=action,
            purpose=principal.purpose.value if principal else "-", outcome=outcome,
            resource_ids=list(resource_ids), fields=sorted(fields))

    # --- rendering ----------------------------------------------------------------------------------
    def page(self, request: Request, template: str, context: dict[str, Any],
             status_code: int = 200) -> Response:
        language = request.session.get("lang", DEFAULT_LANGUAGE)
        principal = self.principal(request)
        base = {"t": translator(language), "lang": language, "principal": principal,
                "csrf": request.session.get("csrf", ""), "last_case": request.session.get("last_case", ""),
                "progress": self._progress(principal) if principal else None, "path": request.url.path}
        html = self.templates.get_template(template).render(**base, **context)
        return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)

    def _progress(self, principal: Principal) -> service.Progress | None:
        if not decide(principal, Action.REVIEW_LIST, principal.purpose).allowed:
            return None
        return service.progress(self.app.uow(), steward_of(principal), self.clock())


SECURITY_HEADERS = {
    # Everything is served by the console itself: no CDN, no inline script, no framing.
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def steward_of(principal: Principal) -> Steward:
    return Steward(principal.id, senior=principal.role is Role.SENIOR_STEWARD)


def _case_ids(case) -> list[str]:  # noqa: ANN001
    ids = [audit_id("reviewCases", case.case_id), audit_id(f"records/{case.source}", case.record_id)]
    return ids + [audit_id("identities", c.identity_id) for c in case.candidates]


# --- handlers -------------------------------------------------------------------------------------------
async def login_page(request: Request) -> Response:
    console: Console = request.app.state.console
    request.session.setdefault("csrf", secrets.token_urlsafe(32))
    return console.page(request, "login.html", {"error": request.query_params.get("error") == "1"})


async def login(request: Request) -> Response:
    console: Console = request.app.state.console
    form = await request.form()
    if not console.check_csrf(request, form):
        return Response("CSRF token missing or wrong", status_code=403)
    token = str(form.get("token", "")).strip()
    try:
        principal = console.verifier.verify(token)
    except AuthenticationError as error:
        console.audit(None, "console.sign_in", f"refused:{error.reason}")
        return RedirectResponse("/login?error=1", status_code=303)
    if not decide(principal, Action.REVIEW_LIST, principal.purpose).allowed:
        console.audit(principal, "console.sign_in", "refused:POLICY_DENIED")
        return RedirectResponse("/login?error=1", status_code=303)
    language = request.session.get("lang", DEFAULT_LANGUAGE)
    request.session.clear()  # a fresh session (and CSRF token) for the signed-in steward
    request.session.update({"token": token, "csrf": secrets.token_urlsafe(32), "lang": language})
    console.audit(principal, "console.sign_in", "ok")
    return RedirectResponse("/queue", status_code=303)


async def logout(request: Request) -> Response:
    console: Console = request.app.state.console
    form = await request.form()
    if console.check_csrf(request, form):
        console.audit(console.principal(request), "console.sign_out", "ok")
        request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def language(request: Request) -> Response:
    code = request.path_params["code"]
    if code in LANGUAGES:
        request.session["lang"] = code
    back = request.query_params.get("next", "/queue")
    return RedirectResponse(back if back.startswith("/") and not back.startswith("//") else "/queue", 303)


def _queue_filter(request: Request) -> CaseFilter:
    source = request.query_params.get("source", "")
    conflict = request.query_params.get("conflict", "")[:200]
    sources = (source,) if source in {s.value for s in Source} else ()
    return CaseFilter(sources=sources, conflict=conflict)


async def queue(request: Request) -> Response:
    console: Console = request.app.state.console
    principal = console.gate(request, Action.REVIEW_LIST)
    if isinstance(principal, Response):
        return principal
    now = console.clock()
    where = _queue_filter(request)
    try:
        page = service.list_cases(console.app.uow(), steward_of(principal), where, now, QUEUE_PAGE,
                                  request.query_params.get("page_token", ""))
    except InvalidReviewRequest:
        page = service.list_cases(console.app.uow(), steward_of(principal), where, now, QUEUE_PAGE)
    console.audit(principal, Action.REVIEW_LIST.value, "ok", [audit_id("reviewCases", c.case_id)
                                                                  for c in page.cases])
    rows = [{"case": c, "state": c.effective_state(now).value,
             "held_by_other": c.is_held_by_other(principal.id, now),
             "age_hours": int((now - c.created_at).total_seconds() // 3600)} for c in page.cases]
    return console.page(request, "queue.html", {
        "rows": rows, "page": page, "sources": [s.value for s in Source if s is not Source.POPULATION],
        "source": where.sources[0] if where.sources else "", "conflict": where.conflict,
        "message_key": request.query_params.get("msg", "")})


async def next_case(request: Request) -> Response:
    """The most urgent case this steward can take now: straight into work, no list to scan."""
    console: Console = request.app.state.console
    principal = console.gate(request, Action.REVIEW_LIST)
    if isinstance(principal, Response):
        return principal
    now, steward = console.clock(), steward_of(principal)
    where = CaseFilter(exclude_reviewed_by=steward.id)
    page = service.list_cases(console.app.uow(), steward, where, now, 200)
    for case in page.cases:
        if not case.is_held_by_other(steward.id, now):
            return RedirectResponse(f"/cases/{case.case_id}", status_code=303)
    return RedirectResponse("/queue", status_code=303)


async def case_page(request: Request) -> Response:
    console: Console = request.app.state.console
    principal = console.gate(request, Action.REVIEW_CLAIM)
    if isinstance(principal, Response):
        return principal
    case_id, now = request.path_params["case_id"], console.clock()
    steward = steward_of(principal)
    try:
        case = service.view_case(console.app.uow(), case_id).case
        if case.state not in (CaseState.DECIDED, CaseState.CLOSED):
            service.claim_case(console.app.uow(), case_id, steward, now, console.settings)
        view = service.view_case(console.app.uow(), case_id)
    except InvalidReviewRequest:
        return console.page(request, "message.html", {"message_key": "not_found"}, status_code=404)
    except ReviewConflict:
        console.audit(principal, Action.REVIEW_CLAIM.value, "error:FAILED_PRECONDITION", [
            audit_id("reviewCases", case_id)])
        return RedirectResponse("/queue?msg=conflict", status_code=303)
    except NotFound:
        return console.page(request, "message.html", {"message_key": "not_found"}, status_code=404)
    case = view.case
    chosen_id = request.query_params.get("candidate", "")
    chosen = next((c for c in case.candidates if c.identity_id == chosen_id), case.best)
    identity = view.identities.get(chosen.identity_id) if chosen else None
    diffs = [diff_values(name, _value(view.record, name), _value(identity, name)) for name in COMPARED_FIELDS]
    max_weight = max((abs(b.weight) for c in case.candidates for b in c.bars), default=1.0) or 1.0
    console.audit(principal, Action.REVIEW_CLAIM.value, "ok", _case_ids(case), STEWARD_VIEW)
    return console.page(request, "case.html", {
        "case": case, "view": view, "chosen": chosen, "identity": identity, "diffs": diffs,
        "max_weight": max_weight, "now": now, "state": case.effective_state(now).value,
        "mine": case.holds_lease(now) and case.lease_holder == steward.id,
        "can_undo": decide(principal, Action.REVIEW_UNDO, principal.purpose).allowed, "hide_undo_last": True})


def _value(person, name: str) -> str:  # noqa: ANN001 - a PersonRecord or None
    if person is None:
        return ""
    value = getattr(person, name)
    return value.value if name == "sex" else value


async def decide_action(request: Request) -> Response:
    return await _act(request, Action.REVIEW_DECIDE)


async def undo_action(request: Request) -> Response:
    return await _act(request, Action.REVIEW_UNDO)


async def escalate_action(request: Request) -> Response:
    return await _act(request, Action.REVIEW_ESCALATE)


async def _act(request: Request, action: Action) -> Response:
    console: Console = request.app.state.console
    principal = console.gate(request, action)
    if isinstance(principal, Response):
        return principal
    form = await request.form()
    if not console.check_csrf(request, form):
        console.audit(principal, action.value, "refused:CSRF")
        return Response("CSRF token missing or wrong", status_code=403)
    case_id, now, steward = request.path_params["case_id"], console.clock(), steward_of(principal)
    t = translator(request.session.get("lang", DEFAULT_LANGUAGE))
    reason = str(form.get("reason", "")).strip()
    etag = str(form.get("etag", ""))
    try:
        if action is Action.REVIEW_DECIDE:
            outcome = str(form.get("outcome", ""))
            if not reason and outcome in {o.value for o in Outcome}:
                reason = t(f"default_reason_{outcome}")
            identity = str(form.get("identity", "")) if outcome == Outcome.MATCH.value else ""
            case, _ = service.decide_case(console.app.uow(), case_id, steward, outcome, reason, etag, now,
                                          identity, console.settings)
            request.session["last_case"] = case_id
            after = "/next"
        elif action is Action.REVIEW_UNDO:
            case = service.undo_decision(console.app.uow(), case_id, steward, now, "", console.settings)
            request.session.pop("last_case", None)
            after = f"/cases/{quote(case_id)}"
        else:
            reason = reason or t("default_reason_escalate")
            case = service.escalate_case(console.app.uow(), case_id, steward, reason, etag, now)
            after = "/next"
    except InvalidReviewRequest as invalid:
        console.audit(principal, action.value, "error:INVALID_ARGUMENT", [audit_id("reviewCases", case_id)])
        fields = ", ".join(path for path, _ in invalid.violations)
        return console.page(request, "message.html", {"message_key": "", "detail": fields}, status_code=400)
    except (ReviewConflict, NotFound):
        failed = [audit_id("reviewCases", case_id)]
        console.audit(principal, action.value, "error:FAILED_PRECONDITION", failed)
        return RedirectResponse("/queue?msg=conflict", status_code=303)
    console.audit(principal, action.value, "ok", _case_ids(case))
    return RedirectResponse(after, status_code=303)


async def home(request: Request) -> Response:
    return RedirectResponse("/queue", status_code=303)


def create_console(app: App, verifier: TokenVerifier, audit_log: AuditLog | None, *,
                   clock: Clock = _utc_now, settings: ReviewSettings | None = None,
                   session_secret: str | None = None, https_only: bool = False) -> Starlette:
    """The console as an ASGI app. Without `session_secret`, sessions last as long as the process."""
    templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                            autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    console = Console(app, verifier, audit_log, clock, settings or ReviewSettings(), templates)
    routes = [
        Route("/", home),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang/{code}", language),
        Route("/queue", queue),
        Route("/next", next_case),
        Route("/cases/{case_id}", case_page),
        Route("/cases/{case_id}/decide", decide_action, methods=["POST"]),
        Route("/cases/{case_id}/undo", undo_action, methods=["POST"]),
        Route("/cases/{case_id}/escalate", escalate_action, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SessionMiddleware, secret_key=session_secret or secrets.token_urlsafe(32),
                             session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE_S, same_site="strict",
                             https_only=https_only)]
    starlette = Starlette(routes=routes, middleware=middleware)
    starlette.state.console = console
    return starlette


def console_for_app(app: App, **options: Any) -> Starlette:
    """The console over a bootstrapped `App`: its token verifier and audit log, as the gRPC gate uses."""
    return create_console(app, app.security.token_verifier, app.security.audit_log, **options)
