"""The authorization policy (routing/authorization.py), as a table: every relation to a
handoff against every action. tests/routing/test_authorization_endpoints.py drives the same
table through the API and the console, so the two cannot decide differently."""
import pytest

from routing.authorization import (
    ACTIONS, Forbidden, may_hand_to, may_see_personal_data, permits, relation, require,
)
from routing.models import Handoff, User

Y, N = True, False
#                 read status transcript claim reply note return resolve reassign escalate
TABLE = {
    "holder":     (Y,   Y,     Y,         Y,    Y,    Y,   Y,     Y,      Y,       Y),
    "department": (Y,   Y,     Y,         Y,    N,    N,   N,     N,      N,       N),
    "other":      (N,   N,     N,         N,    N,    N,   N,     N,      N,       N),
    "supervisor": (Y,   Y,     Y,         N,    N,    Y,   Y,     Y,      Y,       Y),
    "staff":      (Y,   Y,     Y,         N,    N,    N,   N,     N,      N,       N),
    "admin":      (Y,   Y,     Y,         N,    N,    Y,   Y,     Y,      Y,       Y),
}
PERSONAL_DATA = {"holder": Y, "department": N, "other": N, "supervisor": N, "staff": N, "admin": Y}
HOLDER_ID = 7


def person(who: str, **extra) -> User:
    """A user standing in relation `who` to `handoff()`."""
    return {
        "holder": lambda: User(id=HOLDER_ID, role="expert", department_id="rights", **extra),
        "department": lambda: User(id=8, role="expert", department_id="rights", **extra),
        "other": lambda: User(id=9, role="expert", department_id="care", **extra),
        "supervisor": lambda: User(id=10, role="supervisor", **extra),
        "staff": lambda: User(id=11, role="staff", **extra),
        "admin": lambda: User(id=12, role="admin", **extra),
    }[who]()


def handoff() -> Handoff:
    return Handoff(id="h1", department_id="rights", assignee_id=HOLDER_ID, status="in_progress")


def test_the_table_covers_every_action_and_relation():
    assert set(TABLE) == set(PERSONAL_DATA) and all(len(row) == len(ACTIONS) for row in TABLE.values())
    assert ACTIONS == ("read", "status", "transcript", "claim", "reply", "note", "return", "resolve", "reassign",
                       "escalate")


@pytest.mark.parametrize("who", list(TABLE))
@pytest.mark.parametrize("action", ACTIONS)
def test_the_policy_decides_as_the_table_says(who, action):
    user, case = person(who), handoff()
    assert relation(user, case) == who
    expected = TABLE[who][ACTIONS.index(action)]
    assert permits(user, action, case) is expected
    if expected:
        require(user, action, case)
    else:
        with pytest.raises(Forbidden):
            require(user, action, case)


@pytest.mark.parametrize("who", list(TABLE))
def test_personal_data_is_for_admins_and_the_holder(who):
    assert may_see_personal_data(person(who), handoff()) is PERSONAL_DATA[who]
    assert may_see_personal_data(person(who)) is (who == "admin")  # reviewing any conversation


@pytest.mark.parametrize("who", list(TABLE))
def test_a_disabled_account_may_do_nothing(who):
    user = person(who, disabled=True)
    assert relation(user, handoff()) is None
    assert not any(permits(user, action, handoff()) for action in ACTIONS)
    assert not may_see_personal_data(user, handoff())


def test_an_unassigned_handoff_has_no_holder_and_no_department_none_matches():
    unassigned = Handoff(id="h2", department_id=None, assignee_id=None, status="received")
    assert relation(User(id=1, role="expert", department_id=None), unassigned) == "other"
    assert not permits(User(id=1, role="expert", department_id=None), "claim", unassigned)
    assert permits(User(id=10, role="supervisor"), "reassign", unassigned)


def test_experts_hand_over_within_their_department_supervisors_anywhere():
    case = handoff()
    colleague = User(id=20, role="expert", department_id="rights")
    counsellor = User(id=21, role="expert", department_id="care")
    assert may_hand_to(person("holder"), case, colleague) and not may_hand_to(person("holder"), case, counsellor)
    assert may_hand_to(person("supervisor"), case, counsellor)
    assert not may_hand_to(person("supervisor"), case, User(id=22, role="staff"))
    assert not may_hand_to(person("admin"), case, User(id=23, role="expert", department_id="care", disabled=True))


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action"):
        permits(person("admin"), "delete", handoff())
