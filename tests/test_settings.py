"""Production settings pass Django's deployment checks; secrets are never defaulted there."""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.nodb


def run_check(env_extra, tmp_path):
    env = {**os.environ, "PROMZONA_VAR_DIR": str(tmp_path), **env_extra}
    env.pop("PROMZONA_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixture
    return subprocess.run(
        [sys.executable, "-m", "promzona", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    out = run_check({"PROMZONA_PRODUCTION": "1", "PROMZONA_ALLOWED_HOSTS": "zone.example.kz",
                     "PROMZONA_SECRET_KEY": "x" * 20 + "Q7#kLm2$vB9pR4tW6yZ1nC3dF5hJ8" * 2},
                    tmp_path)
    assert out.returncode == 0, out.stderr + out.stdout


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    out = run_check({"PROMZONA_PRODUCTION": "1", "PROMZONA_SECRET_KEY": ""}, tmp_path)
    assert out.returncode != 0 and "PROMZONA_SECRET_KEY" in out.stderr


def test_development_secret_key_is_generated_private_and_stable(tmp_path):
    run_check({}, tmp_path)
    key = tmp_path / "secret_key"
    first = key.read_text()
    run_check({}, tmp_path)
    assert len(first) > 40 and key.read_text() == first
    assert oct(key.stat().st_mode & 0o777) == "0o600"


def _settings(env_extra, tmp_path, names):
    """The values of ``names`` under ``env_extra`` (a fresh process), or its error output."""
    env = {**os.environ, "PROMZONA_VAR_DIR": str(tmp_path), **env_extra}
    code = ("import json; from django.conf import settings; "
            f"print(json.dumps({{n: str(getattr(settings, n)) for n in {names!r}}}))")
    out = subprocess.run([sys.executable, "-m", "promzona", "shell", "-c", code],
                         capture_output=True, text=True, env=env)
    return json.loads(out.stdout.splitlines()[-1]) if out.returncode == 0 else out.stderr


def test_the_mail_server_comes_from_the_environment(tmp_path):
    got = _settings({"PROMZONA_SMTP_HOST": "smtp.example.kz", "PROMZONA_SMTP_PORT": "465",
                     "PROMZONA_SMTP_USER": "u", "PROMZONA_SMTP_PASSWORD": "p",
                     "PROMZONA_SMTP_SSL": "1", "PROMZONA_SMTP_TIMEOUT": "7"}, tmp_path,
                    ["EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
                     "EMAIL_HOST_PASSWORD", "EMAIL_USE_SSL", "EMAIL_USE_TLS", "EMAIL_TIMEOUT"])
    assert got == {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                   "EMAIL_HOST": "smtp.example.kz", "EMAIL_PORT": "465", "EMAIL_HOST_USER": "u",
                   "EMAIL_HOST_PASSWORD": "p", "EMAIL_USE_SSL": "True", "EMAIL_USE_TLS": "False",
                   "EMAIL_TIMEOUT": "7"}
    assert _settings({}, tmp_path, ["EMAIL_BACKEND"])["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.parametrize("env, message", [
    ({"PROMZONA_SMTP_STARTTLS": "1", "PROMZONA_SMTP_SSL": "1"}, "exclude each other"),
    ({"PROMZONA_BASE_URL": "https://zone.example.kz/promzona"}, "PROMZONA_BASE_URL"),
    ({"PROMZONA_BASE_URL": "javascript:alert(1)"}, "PROMZONA_BASE_URL"),
    ({"PROMZONA_TRUSTED_PROXIES": "127.0.0.1,nginx"}, "PROMZONA_TRUSTED_PROXIES"),
    ({"PROMZONA_METRICS_ALLOW": "*"}, "PROMZONA_METRICS_ALLOW"),
    ({"PROMZONA_TASKS": "celery"}, "celery"),
])
def test_a_wrong_setting_refuses_to_start_and_says_which(tmp_path, env, message):
    out = _settings(env, tmp_path, ["DEBUG"])
    assert isinstance(out, str) and message in out
