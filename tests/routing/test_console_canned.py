"""The canned replies file (routing/console/canned.py): read with its schema, refused whole when a rule breaks."""
import pytest

from routing.console.canned import read


def _file(tmp_path, text):
    path = tmp_path / "canned_replies.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_replies_pass_their_schema():
    replies = read()
    assert replies["rights"] and all(reply["title"] and reply["text"] for reply in replies["rights"])


@pytest.mark.parametrize("text, fault", [
    ("rights: 你好\n", "must be a list"),
    ("rights:\n  - {title: 问候}\n", "text"),
    ("rights:\n  - {title: 问候, text: '   '}\n", "text"),
    ("rights:\n  - {title: 问候, text: 你好, tone: warm}\n", "tone"),
    ("rights:\n  - {title: " + "很长" * 26 + ", text: 你好}\n", "title"),
    ("rights: []\n", "rights"),
    ("", "canned_replies.yml"),
])
def test_a_replies_file_that_breaks_a_rule_is_refused_saying_where(tmp_path, text, fault):
    with pytest.raises(ValueError, match=fault):
        read(_file(tmp_path, text))
