"""Cadres' offices (routing/cadres.py): a cadre's account tied to an office at any level."""
from __future__ import annotations

import pytest

from routing import auth, cadres


def test_a_cadre_is_placed_in_an_office_of_the_directory_and_moved_when_she_changes_post(sessions):
    with sessions() as db, db.begin():
        user = auth.create_user(db, username="chen", password="a-long-password", role="cadre")
        assert cadres.office_of(db, user) is None
        assert cadres.place_cadre(db, user, "org-440100").level == "city"
        cadres.place_cadre(db, user, "org-440000")
        assert cadres.office_of(db, user).name == "广东省妇女联合会"


def test_an_office_the_directory_does_not_have_is_refused(sessions):
    with sessions() as db, db.begin():
        user = auth.create_user(db, username="chen", password="a-long-password", role="cadre")
        with pytest.raises(cadres.UnknownOffice, match="org-999999"):
            cadres.place_cadre(db, user, "org-999999")
