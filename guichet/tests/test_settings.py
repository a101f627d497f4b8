"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); print('ok')"


def boot(tmp_path, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "PORT")}
    environ.update(DJANGO_SETTINGS_MODULE="guichet.settings", GUICHET_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", CHECK], env=environ, capture_output=True, text=True, timeout=60
    )


def test_defaults_boot(tmp_path):
    result = boot(tmp_path)
    assert result.stdout.strip() == "ok", result.stderr
    assert (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "perhaps"}, "DEBUG must be a boolean"),
        ({"ATTACHMENT_MAX_BYTES": "ten"}, "ATTACHMENT_MAX_BYTES must be an integer"),
        ({"TICKET_AUTOCLOSE_DAYS": "-1"}, "TICKET_AUTOCLOSE_DAYS must be at least 0"),
        ({"DATABASE_URL": "mysql://x@localhost/db"}, "DATABASE_URL must point to PostgreSQL"),
        ({"DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"LANGUAGE_CODE": "de"}, "LANGUAGE_CODE"),
    ],
)
def test_bad_values_stop_with_a_message_naming_the_variable(tmp_path, env, message):
    result = boot(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr
