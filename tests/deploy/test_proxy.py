"""The proxy's configuration: every field filled, accepted by nginx, on 127.0.0.1 only."""
import re
import subprocess

import pytest

from deploy import proxy
from deploy.settings import PORT_OFFSETS


def ports(base: int = 30000) -> dict:
    named = {name.replace("-", "_"): base + offset for name, offset in PORT_OFFSETS.items()}
    return {key: value for key, value in named.items() if key in (
        "front", "actions_front", "rasa_1", "rasa_2", "actions_1", "actions_2", "routing_1", "routing_2")}


def directives(config) -> str:
    """The configuration without its comments."""
    return "\n".join(line.split("#", 1)[0] for line in config.read_text().splitlines())


def test_a_field_without_a_value_is_an_error_not_an_empty_string():
    with pytest.raises(KeyError, match="rasa_2"):
        proxy.render("server {{ rasa_1 }}; server {{ rasa_2 }};", {"rasa_1": 1})
    assert proxy.render("a {{ x }} $host {{y}}", {"x": 1, "y": 2}) == "a 1 $host 2"


def test_the_configuration_listens_on_loopback_only_and_keeps_its_files_in_the_workdir(tmp_path):
    text = directives(proxy.write_config(tmp_path / "nginx", tmp_path / "logs", ports()))
    assert "{{" not in text
    assert sorted(re.findall(r"listen ([^;]+);", text)) == ["127.0.0.1:30000", "127.0.0.1:30007"]
    for line in re.findall(r"(?:_path|pid|error_log|access_log) (\S+)", text):
        assert line.startswith(str(tmp_path)), line
    assert "$request " not in text and '"$request"' not in text  # no query strings: tokens travel in them


def test_a_post_goes_to_the_other_replica_only_when_it_was_never_sent(tmp_path):
    text = directives(proxy.write_config(tmp_path / "nginx", tmp_path / "logs", ports()))
    assert "proxy_next_upstream error timeout;" in text
    assert "non_idempotent" not in text
    assert "hash $cookie_webchat_session consistent;" in text


def test_nginx_accepts_the_configuration(tmp_path):
    try:
        proxy.nginx_binary()
    except proxy.ProxyMissing:
        pytest.skip("nginx is not installed (scripts/install-proxy)")
    nginx_dir, logs = tmp_path / "nginx", tmp_path / "logs"
    config = proxy.write_config(nginx_dir, logs, ports())
    checked = subprocess.run(proxy.check_command(config, nginx_dir, logs), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
