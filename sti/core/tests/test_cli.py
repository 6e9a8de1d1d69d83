"""`sti serve` / `sti demo`: each data folder runs its own gunicorn control socket."""

from sti import cli


def _socket(command: list[str]) -> str | None:
    return command[command.index("--control-socket") + 1] if "--control-socket" in command else None


def test_each_data_folder_has_its_own_control_socket(settings, tmp_path):
    sockets = []
    for name in ("one", "two"):
        settings.DATA_DIR = tmp_path / name
        sockets.append(_socket(cli._server_command(8001, "127.0.0.1")))
    assert sockets == [
        str(tmp_path / "one" / "gunicorn.ctl"),
        str(tmp_path / "two" / "gunicorn.ctl"),
    ]


def test_a_folder_too_deep_for_a_socket_disables_it(settings, tmp_path):
    settings.DATA_DIR = tmp_path / ("d" * 120)
    command = cli._server_command(8001, "127.0.0.1")
    assert "--no-control-socket" in command and _socket(command) is None


def test_demo_server_leaves_out_gunicorns_english_start_up_lines(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    command = cli._server_command(8001, "127.0.0.1", quiet=True)
    assert command[command.index("--log-level") + 1] == "warning"
    assert "--log-level" not in cli._server_command(8001, "127.0.0.1")
