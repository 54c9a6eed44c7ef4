"""The pure shutdown.log parser."""

from __future__ import annotations

from builders.ios_fs import shutdown_log
from spyscan.artifacts.ios.parsers.shutdown_log import parse_shutdown_text


def test_reboots_clients_and_delays() -> None:
    text = shutdown_log([
        (1_700_000_000, [(10, "/usr/libexec/a"), (11, "/usr/libexec/b")],
         [(0.5, [(10, "/usr/libexec/a")]), (1.25, [(10, "/usr/libexec/a")])]),
        (1_700_100_000, [(20, "/usr/sbin/c")], []),
    ])
    first, second = parse_shutdown_text(text)
    assert first.time_raw == "1700000000" and first.complete
    assert first.delays == [0.5, 1.25] and first.waited == 1.25
    clients = {c.path: c for c in first.clients}
    assert clients["/usr/libexec/a"].delayed == 2 and clients["/usr/libexec/a"].waited == 1.25
    assert clients["/usr/libexec/b"].delayed == 0 and clients["/usr/libexec/b"].pid == 11
    assert [c.path for c in first.delayed_clients] == ["/usr/libexec/a"]
    assert second.time_raw == "1700100000" and second.delays == [] and len(second.clients) == 1


def test_alternate_sigterm_spelling_and_cut_log() -> None:
    text = ("remaining client pid: 5 (/usr/libexec/x)\n"
            "sigterm: sent to all clients at 1700000123.5\n"
            "After 0.10s, these clients are still here:\n"
            "   remaining client pid: 9 (/private/var/tmp/y)\n")
    done, cut = parse_shutdown_text(text)
    assert done.time_raw == "1700000123.5"
    assert not cut.complete and cut.time_raw is None
    assert cut.clients[0].path == "/private/var/tmp/y" and cut.clients[0].delayed == 1


def test_garbage_and_empty_never_raise() -> None:
    assert parse_shutdown_text("") == []
    assert parse_shutdown_text("\x00\xff garbage\nSIGTERM: no time\n")[0].time_raw is None
    assert parse_shutdown_text("remaining client pid: 7\nSIGTERM: [1700000000]\n")[0].clients[0].path == ""


def test_ios26_uuid_component_removed_and_kept_as_written() -> None:
    uuid = "0D1E2F30-4152-6374-8596-A7B8C9DAEBFC"
    text = (f"remaining client pid: 88 (/usr/sbin/filecoordinationd/{uuid})\n"
            "remaining client pid: 89 (/usr/libexec/keep-my-name)\n"
            "SIGTERM: [1760000000] All processes exited\n")
    [reboot] = parse_shutdown_text(text)
    first, second = reboot.clients
    assert first.path == "/usr/sbin/filecoordinationd" and first.raw_path == f"/usr/sbin/filecoordinationd/{uuid}"
    assert second.path == "/usr/libexec/keep-my-name" and second.raw_path is None
    assert reboot.notices == 0
