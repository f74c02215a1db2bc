"""The user's own time zone: set, refused when unknown, and two writers at once."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpdesk_desktop.application.desk import Desk
from helpdesk_desktop.domain.errors import InvalidInput
from helpdesk_desktop.domain.i18n import set_language
from helpdesk_desktop.domain.models import User
from helpdesk_desktop.storage.database import Database, create_db_engine
from tests.factories import Workspace


def _stored_zone(ws: Workspace, key: str) -> str:
    with ws.db.session() as session:
        user = session.get(User, ws.users[key])
        assert user is not None
        return user.time_zone


def test_a_user_sets_their_own_time_zone(ws: Workspace) -> None:
    assert _stored_zone(ws, "agent") == "Europe/Paris"
    info = ws.desk("agent").set_time_zone("  America/Montreal ")
    assert info.time_zone == "America/Montreal"
    assert info.id == ws.users["agent"]
    assert _stored_zone(ws, "agent") == "America/Montreal"
    assert ws.desk("agent").me().time_zone == "America/Montreal"
    assert _stored_zone(ws, "admin") == "Europe/Paris"  # only one's own


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "Europe", "../../etc/passwd",
                                  "/usr/share/zoneinfo/UTC", "x" * 100])
def test_an_unknown_time_zone_is_refused_and_nothing_changes(ws: Workspace, zone: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ws.desk("agent").set_time_zone(zone)
    sentence = str(refused.value)
    assert "is not a time zone" in sentence
    assert "\n" not in sentence
    assert _stored_zone(ws, "agent") == "Europe/Paris"


def test_the_refusal_reads_in_french(ws: Workspace) -> None:
    set_language("fr")
    with pytest.raises(InvalidInput) as refused:
        ws.desk("agent").set_time_zone("Mars/Olympus_Mons")
    assert str(refused.value) == ("« Mars/Olympus_Mons » n'est pas un fuseau horaire : "
                                  "choisissez-en un dans la liste, par exemple Europe/Paris.")


def _sqlite_path(ws: Workspace) -> Path:
    database = ws.db.engine.url.database
    if ws.db.engine.dialect.name != "sqlite" or not database:
        pytest.skip("another process needs a database file it can open")
    return Path(database)


def test_another_process_changing_it_meanwhile_last_write_wins(ws: Workspace) -> None:
    path = _sqlite_path(ws)
    window = ws.desk("agent")
    shown = window.me()  # what a window holds, then another process writes
    script = ("import sys\n"
              "from helpdesk_desktop.application.desk import Desk\n"
              "from helpdesk_desktop.storage.database import Database, create_db_engine\n"
              "engine = create_db_engine(sys.argv[1])\n"
              "Desk(Database(engine=engine, bind=engine), int(sys.argv[2]))"
              ".set_time_zone('Asia/Tokyo')\n")
    subprocess.run([sys.executable, "-c", script, str(path), str(ws.users["agent"])],
                   check=True, timeout=60)
    assert _stored_zone(ws, "agent") == "Asia/Tokyo"
    assert shown.time_zone == "Europe/Paris"
    info = window.set_time_zone("America/Montreal")  # written after: it wins, no error
    assert info.time_zone == "America/Montreal"
    assert _stored_zone(ws, "agent") == "America/Montreal"


def test_two_writers_at_the_same_time_do_not_fail(ws: Workspace) -> None:
    path = _sqlite_path(ws)
    zones = ["Asia/Tokyo", "America/Montreal"]
    start = threading.Barrier(len(zones))
    errors: list[BaseException] = []

    def write(zone: str) -> None:
        engine = create_db_engine(str(path))  # a connection of its own, as a process has
        try:
            desk = Desk(Database(engine=engine, bind=engine), ws.users["agent"])
            start.wait()
            for _ in range(5):
                desk.set_time_zone(zone)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=write, args=(zone,)) for zone in zones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert _stored_zone(ws, "agent") in zones
