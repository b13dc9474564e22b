"""Production settings pass Django's deployment checks; secrets are never defaulted there."""

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
