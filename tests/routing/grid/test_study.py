"""执委学堂 results (routing/study.py, routing/api/routes/study.py, routing/console/study_pages.py):
a cadre's chat is bound with the grid binding; her finished quiz is kept under her level and
region (a cadre's federation office at any of the five levels, or a grid person's unit); staff
see completion and scores per level and region."""
from __future__ import annotations

import re

from routing import auth, cadres, org_data, study
from routing.grid import bindings
from routing.models import Organisation, User
from tests.routing.grid.conftest import SERVICE

RESULT = {"conversation_id": "tg-cadre", "topic": "dv_report", "score": 4, "total": 5}


def bind(sessions, username, conversation_id="tg-cadre"):
    with sessions() as db, db.begin():
        user = db.query(User).filter(User.username == username).one()
        code = bindings.issue_code(db, user, 10).code
        bindings.bind(db, code, "telegram", conversation_id)


def test_a_bound_cadre_s_result_is_kept_under_her_level_and_unit(client, sessions, people):
    bind(sessions, "town")
    response = client.post("/api/v1/study/results", json=RESULT, headers=SERVICE)
    assert response.status_code == 201
    assert response.json()["level"] == "town" and response.json()["score"] == 4
    bind(sessions, "village", "tg-village")
    client.post("/api/v1/study/results", json=dict(RESULT, conversation_id="tg-village", score=5), headers=SERVICE)
    client.post("/api/v1/study/results", json=dict(RESULT, score=2, topic="service"), headers=SERVICE)
    with sessions() as db:
        rows = study.summary(db)
    assert [(r.level, r.people, r.quizzes, r.average_percent) for r in rows] == [("town", 1, 2, 60),
                                                                              ("village", 1, 1, 100)]


def test_an_unbound_chat_or_a_bad_score_is_refused(client, sessions, people):
    assert client.post("/api/v1/study/results", json=RESULT, headers=SERVICE).status_code == 404
    bind(sessions, "town")
    assert client.post("/api/v1/study/results", json=dict(RESULT, score=6), headers=SERVICE).status_code == 422
    assert client.post("/api/v1/study/results", json=dict(RESULT, topic="astrology"), headers=SERVICE).status_code == 422
    assert client.post("/api/v1/study/results", json=RESULT).status_code == 401


def test_an_account_that_is_not_a_cadre_cannot_record(client, sessions, people):
    bind(sessions, "lawyer")
    assert client.post("/api/v1/study/results", json=RESULT, headers=SERVICE).status_code == 404


def test_the_console_page_shows_completion_per_level_and_region(app, client, sessions, people):
    from tests.routing.console_support import login as console_login

    bind(sessions, "town")
    client.post("/api/v1/study/results", json=RESULT, headers=SERVICE)
    page = console_login(app, "root").get("/console/study")
    assert page.status_code == 200 and "镇（街道）" in page.text and "80%" in page.text


def a_cadre(sessions, username, office_id):
    with sessions() as db, db.begin():
        if not db.get(Organisation, office_id):
            org_data.load_file(db)
        user = auth.create_user(db, username=username, password="a-long-password", role="cadre", title="妇联执委")
        cadres.place_cadre(db, user, office_id)


def test_province_and_city_cadres_bind_and_are_counted_under_their_office(client, sessions, people):
    a_cadre(sessions, "chen", "org-440000")
    a_cadre(sessions, "zhou", "org-440100")
    bind(sessions, "chen", "tg-province")
    bind(sessions, "zhou", "wx-city")
    with sessions() as db:
        described = bindings.find(db, "tg-province")
    assert described.role == "cadre" and described.office == "广东省妇女联合会" and described.grid_code is None
    for conversation, score in (("tg-province", 5), ("wx-city", 3)):
        response = client.post("/api/v1/study/results", json=dict(RESULT, conversation_id=conversation, score=score),
                               headers=SERVICE)
        assert response.status_code == 201
    with sessions() as db:
        rows = study.summary(db)
    assert [(r.level, r.region, r.people, r.average_percent) for r in rows] == [
        ("province", "广东省妇女联合会", 1, 100), ("city", "广州市妇女联合会", 1, 60)]


def test_a_cadre_files_no_grid_report(client, sessions, people):
    a_cadre(sessions, "chen", "org-440000")
    bind(sessions, "chen", "tg-province")
    report = {"source": "patrol", "grid_code": "T01V01G1-01", "subject": "woman", "place": "溪美社区",
              "text": "她想咨询离婚", "urgency": "normal", "consent": True, "reporter_conversation_id": "tg-province"}
    assert client.post("/api/v1/grid/reports", json=report, headers=SERVICE).status_code == 403


def test_a_cadre_is_told_her_account_is_for_the_chat_not_the_console(client, sessions, people):
    a_cadre(sessions, "chen", "org-440000")
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post("/console/login", data={"username": "chen", "password": "a-long-password",
                                                   "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 403 and "执委学堂" in response.text
