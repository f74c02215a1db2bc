"""Looking up contacts, companies and deals (the association pickers and the merge dialog)."""

from __future__ import annotations

import pytest

from helpdesk_desktop.domain.errors import PermissionDenied
from helpdesk_desktop.domain.models import Contact
from tests.factories import Workspace


def test_contacts_match_name_or_email_in_any_case(ws: Workspace) -> None:
    desk = ws.desk("agent")
    assert [c.id for c in desk.search_contacts("DUPONT")] == [ws.contacts["marie"]]
    assert [c.id for c in desk.search_contacts("smith.example")] == [ws.contacts["john"]]
    marie = desk.search_contacts(" marie ")[0]
    assert marie.company_name == "Boulangerie Dupont"
    assert [c.name for c in desk.search_contacts("")] == ["John Smith", "Marie Dupont"]


def test_companies_and_deals_match_their_name(ws: Workspace) -> None:
    desk = ws.desk("sales")
    assert [c.id for c in desk.search_companies("boulangerie")] == [ws.companies["dupont"]]
    assert [d.id for d in desk.search_deals("Renewal")] == [ws.deals["renewal"]]
    assert desk.search_deals("upgrade") == []


def test_percent_and_underscore_are_plain_characters(ws: Workspace) -> None:
    with ws.db.session() as session:
        session.add_all([Contact(name="Remise 50% Martin", email="m_artin@example.com"),
                         Contact(name="Mia Novak", email="mia@example.com")])
        session.commit()
    desk = ws.desk("admin")
    assert [c.name for c in desk.search_contacts("50%")] == ["Remise 50% Martin"]
    assert [c.name for c in desk.search_contacts("m_a")] == ["Remise 50% Martin"]
    assert desk.search_contacts("%") == desk.search_contacts("50%")


def test_the_search_is_limited_and_needs_help_desk_access(ws: Workspace) -> None:
    with ws.db.session() as session:
        session.add_all([Contact(name=f"Client {n:02}", email=f"c{n}@example.com")
                         for n in range(30)])
        session.commit()
    assert len(ws.desk("admin").search_contacts("client")) == 20
    with pytest.raises(PermissionDenied, match="no access to the help desk"):
        ws.desk("outsider").search_contacts("client")
