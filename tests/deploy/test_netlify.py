"""netlify.toml: parses as TOML, and each deploy context (production, deploy-preview,
branch-deploy) gives the build what apps/web reads: its own API URL and Sentry environment."""

from __future__ import annotations

import re
import tomllib
from urllib.parse import urlparse

from conftest import REPO

CONFIG = tomllib.loads((REPO / "netlify.toml").read_text())
CONTEXTS = ("production", "deploy-preview", "branch-deploy")


def read_by_web_app() -> set[str]:
    """VITE_ variables that apps/web/vite.config.ts or the app's sources read."""
    files = [REPO / "apps/web/vite.config.ts", *(REPO / "apps/web/src").rglob("*.ts"), *(REPO / "apps/web/src").rglob("*.vue")]
    return {m for f in files for m in re.findall(r"\b(VITE_[A-Z0-9_]+)", f.read_text())}


def test_build_settings():
    build = CONFIG["build"]
    assert build["publish"] == "apps/web/dist"
    assert "pnpm --filter @dandi/web run build" in build["command"]
    assert build["environment"]["VITE_API_URL"].startswith("http://localhost")


def test_each_context_has_its_own_api_and_sentry_environment():
    contexts = CONFIG["context"]
    assert set(CONTEXTS) <= set(contexts)
    api_urls, sentry_envs = {}, {}
    for name in CONTEXTS:
        env = contexts[name]["environment"]
        url = urlparse(env["VITE_API_URL"])
        assert url.scheme == "https" and url.netloc and url.path in ("", "/"), f"{name}: VITE_API_URL is an origin"
        api_urls[name] = env["VITE_API_URL"]
        sentry_envs[name] = env["VITE_SENTRY_ENVIRONMENT"]
        # The DSN is a site environment variable, never in the repository.
        assert "VITE_SENTRY_DSN" not in env
    assert len(set(sentry_envs.values())) == 3 and sentry_envs["production"] == "production"
    assert api_urls["production"] != api_urls["deploy-preview"]


def test_the_web_app_reads_what_the_contexts_set():
    read = read_by_web_app()
    assert "VITE_API_URL" in (REPO / "apps/web/vite.config.ts").read_text()
    set_here = {k for name in CONTEXTS for k in CONFIG["context"][name]["environment"]}
    # VITE_SENTRY_ENVIRONMENT is read by the app's Sentry set-up (environment of its events).
    assert set_here - read <= {"VITE_SENTRY_ENVIRONMENT"}, set_here - read


def test_security_headers_allow_the_api_and_sentry():
    headers = next(h for h in CONFIG["headers"] if h["for"] == "/*")["values"]
    csp = dict(
        (d.split()[0], d.split()[1:]) for d in (p.strip() for p in headers["Content-Security-Policy"].split(";")) if d
    )
    connect = csp["connect-src"]
    assert "https://*.ingest.sentry.io" in connect and "https://*.ingest.us.sentry.io" in connect
    assert "https:" in connect  # each context's API origin
    assert csp["frame-ancestors"] == ["'none'"] and headers["X-Frame-Options"] == "DENY"
    assert CONFIG["redirects"][-1] == {"from": "/*", "to": "/index.html", "status": 200}


def test_the_web_build_validates_with_the_apis_schema_version():
    """The metadata editor's validator is compiled at build time from DANDI_SCHEMA_VERSION's
    schema (downloaded: Netlify has no schemas/ folder); it must be the version the API runs."""
    import json

    app = json.loads((REPO / "app.json").read_text())
    api_version = app["env"]["DANDI_SCHEMA_VERSION"]["value"]
    assert CONFIG["build"]["environment"]["DANDI_SCHEMA_VERSION"] == api_version
    assert "DANDI_SCHEMA_VERSION" in (REPO / "apps/web/vite.config.ts").read_text()
