"""The ``hromada`` command: usage, configuration errors, deploy checks, the demo."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hromada.cli import USAGE, main

HROMADA = Path(sys.executable).with_name("hromada")


def run_hromada(*args: str, data_dir: Path, timeout: int = 120, **env: str):
    """Run the installed ``hromada`` script on SQLite in ``data_dir``, whatever the suite uses:
    only PATH (and PYTHONPATH, so the child runs the same code) are passed on, never
    DATABASE_URL or REDIS_URL."""
    child_env = {"PATH": os.environ.get("PATH", ""), "HROMADA_DATA_DIR": str(data_dir), **env}
    if "PYTHONPATH" in os.environ:
        child_env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        [str(HROMADA), *args],
        env=child_env,
        cwd=data_dir,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_no_command_prints_usage_and_exits_2(capsys):
    assert main([]) == 2
    assert capsys.readouterr().out.strip() == USAGE


def test_help_prints_usage_and_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "hromada COMMAND" in capsys.readouterr().out
    assert main(["-h"]) == 0


def test_unknown_command_exits_2_naming_it(capsys):
    assert main(["no-such-command"]) == 2

    err = capsys.readouterr().err
    assert "unknown command 'no-such-command'" in err
    assert "usage: hromada" in err


def test_production_without_secret_key_fails_with_one_line(tmp_path):
    result = run_hromada("check", data_dir=tmp_path, HROMADA_ENV="production")

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]
    assert lines[0].startswith("hromada: configuration error:")


def test_production_with_a_short_secret_key_fails_with_one_line(tmp_path):
    result = run_hromada(
        "check", data_dir=tmp_path, HROMADA_ENV="production", SECRET_KEY="too-short"
    )

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_without_allowed_hosts_fails_with_one_line(tmp_path):
    result = run_hromada(
        "check", data_dir=tmp_path, HROMADA_ENV="production", SECRET_KEY=secrets.token_urlsafe(45)
    )

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_configuration_passes_the_deploy_check(tmp_path):
    secret_key = secrets.token_urlsafe(45)
    assert len(secret_key) == 60

    result = run_hromada(
        "check",
        "--deploy",
        data_dir=tmp_path,
        HROMADA_ENV="production",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="hromada.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_demo_twice_gives_the_same_data_and_an_intact_audit_chain(tmp_path):
    def row_counts() -> dict[str, int]:
        with sqlite3.connect(tmp_path / "hromada.sqlite3") as database:
            return {
                table: database.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("core_organisation", "accounts_user", "core_auditevent")
            }

    first = run_hromada("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo accounts" in first.stdout
    after_first = row_counts()

    second = run_hromada("demo", "--no-serve", data_dir=tmp_path)
    assert second.returncode == 0, second.stderr

    assert row_counts() == after_first
    assert all(count > 0 for count in after_first.values())
    verify = run_hromada("audit", "verify", data_dir=tmp_path)
    assert verify.returncode == 0, verify.stderr
    assert f"audit chain intact: {after_first['core_auditevent']} events" in verify.stdout


@pytest.mark.django_db
def test_audit_verify_runs_in_process_and_exits_0(capsys):
    assert main(["audit", "verify"]) == 0
    assert "audit chain intact: 0 events" in capsys.readouterr().out
