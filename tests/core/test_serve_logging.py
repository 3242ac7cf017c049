"""A refused request (403, 404) is one line in the server's log, not a traceback: administrators
read these logs, and a station user opening an administrator's page is not an error."""

import io
import logging

import pytest


@pytest.fixture
def console():
    """What the project's console handler (settings.LOGGING) writes during the test."""
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert handlers, "settings.LOGGING has no console handler on the root logger"
    stream = io.StringIO()
    old = [h.setStream(stream) for h in handlers]
    yield stream
    for handler, previous in zip(handlers, old, strict=True):
        handler.setStream(previous)


def test_a_permission_refusal_is_logged_as_one_line(client, org, console):
    client.force_login(org.users.east)
    assert client.get("/calendar/provisional/").status_code == 403
    lines = [line for line in console.getvalue().splitlines() if line.strip()]
    assert any("Forbidden" in line and "/calendar/provisional/" in line for line in lines), lines
    assert "Traceback" not in console.getvalue()
    assert len(lines) == 1, lines


def test_a_missing_page_is_logged_as_one_line(client, org, console):
    client.force_login(org.users.east)
    assert client.get("/businesses/999999999/").status_code == 404
    lines = [line for line in console.getvalue().splitlines() if line.strip()]
    assert len(lines) == 1 and "Not Found" in lines[0], lines


def test_a_server_error_keeps_its_traceback(console):
    # Only refusals are shortened: a 500 is a bug and needs its traceback.
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error("Internal Server Error: /x", exc_info=True,
                                                  extra={"status_code": 500})
    assert "Traceback" in console.getvalue() and "ValueError: boom" in console.getvalue()
