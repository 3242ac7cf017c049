"""`jianguan --help` lists jianguan's own commands in Chinese, grouped; Django's list is one flag away."""

import subprocess
import sys

import pytest


def run(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "from jianguan.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return done.stdout


@pytest.mark.parametrize("args", [("--help",), ("help",), ("-h",), ()])
def test_help_lists_jianguan_commands_in_chinese(args):
    out = run(*args)
    first = out.splitlines()[0]
    assert "监管平台" in first
    for command in ("serve", "import", "export", "report", "verify-draw", "demo", "audit"):
        assert f"  {command} " in out, command
    assert "双随机抽查" in out and "报表" in out
    assert "复核 jianguan-draw-v1 抽取记录" in out
    # Django's own maintenance commands are not offered on the first page.
    for django_only in ("flush", "dbshell", "sqlflush", "squashmigrations"):
        assert f"  {django_only}" not in out
    assert "Available subcommands" not in out and "Type 'jianguan help" not in out
    assert "jianguan help --all" in out
    # One line per command even where a hyphenated alias module also exists.
    assert out.count("  classify-eval ") + out.count("  classify_eval ") == 1


def test_help_all_is_djangos_list():
    out = run("help", "--all")
    assert "flush" in out and "dbshell" in out and "verify-draw" in out


def test_help_for_one_command_still_works():
    out = run("help", "verify-draw")
    assert "usage:" in out and "record" in out
