"""`sti serve` sizes gunicorn from STI_WEB_WORKERS / STI_WEB_THREADS, else from the cores."""

import pytest

from sti import cli


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env file here
    for name in ("STI_WEB_WORKERS", "STI_WEB_THREADS", "WEB_CONCURRENCY", "STI_WEB_KEEPALIVE"):
        monkeypatch.setenv(name, "")  # undone last: removes what a .env file set in between
        monkeypatch.delenv(name)
    return monkeypatch


def test_defaults_follow_the_cores(clean_env):
    clean_env.setattr(cli, "_cores", lambda: 2)
    assert cli.server_size() == (5, 4)
    clean_env.setattr(cli, "_cores", lambda: 32)
    assert cli.server_size() == (12, 4)


def test_environment_sets_workers_and_threads(clean_env):
    clean_env.setenv("STI_WEB_WORKERS", "3")
    clean_env.setenv("STI_WEB_THREADS", "8")
    command = cli._server_command(8123, "127.0.0.1")
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--threads") + 1] == "8"
    assert "127.0.0.1:8123" in command


def test_keep_alive_outlasts_a_client_pause(clean_env):
    """gunicorn's 2 s keep-alive raced clients reusing a connection on a busy server."""
    command = cli._server_command(8123, "127.0.0.1")
    assert command[command.index("--keep-alive") + 1] == "5"
    assert "--preload" in command
    clean_env.setenv("STI_WEB_KEEPALIVE", "30")
    command = cli._server_command(8123, "127.0.0.1")
    assert command[command.index("--keep-alive") + 1] == "30"


def test_web_concurrency_is_read_when_ours_is_unset(clean_env):
    clean_env.setenv("WEB_CONCURRENCY", "7")
    assert cli.server_size()[0] == 7


def test_dotenv_file_is_read(clean_env, tmp_path):
    (tmp_path / ".env").write_text("STI_WEB_WORKERS=6\nSTI_WEB_THREADS=\n")
    assert cli.server_size()[0] == 6
    assert cli.server_size()[1] == 4


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_a_bad_value_stops_with_a_message(clean_env, value):
    clean_env.setenv("STI_WEB_THREADS", value)
    with pytest.raises(SystemExit, match="STI_WEB_THREADS"):
        cli.server_size()
