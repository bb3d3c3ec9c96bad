"""The reverse proxy's configuration and command: nginx from Debian's package
(scripts/install-proxy), configured from deploy/nginx.conf.template. Standard library only."""
from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
from pathlib import Path
from typing import List, Mapping

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
FIELD = re.compile(r"\{\{ *([a-z_0-9]+) *\}\}")
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class ProxyMissing(RuntimeError):
    """nginx is not installed: scripts/install-proxy installs it."""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise ProxyMissing("nginx is not installed: run scripts/install-proxy (apt, Debian's nginx)")
    return found


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill every {{ field }}; a field without a value is an error, not an empty string."""
    missing = sorted({name for name in FIELD.findall(template) if name not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)} in the proxy template")
    return FIELD.sub(lambda match: str(values[match.group(1)]), template)


def user_line() -> str:
    """As root, nginx's workers would switch to `nobody`, who cannot enter the workdir: keep this user."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"


def write_config(nginx_dir: Path, logs: Path, ports: Mapping[str, int]) -> Path:
    """The configuration, in the workdir with nginx's temporary folders; returns its path."""
    nginx_dir.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    for name in TEMP_DIRS:
        (nginx_dir / name).mkdir(exist_ok=True)
    values = {"nginx_dir": nginx_dir, "logs": logs, "user_line": user_line(), **ports}
    path = nginx_dir / "nginx.conf"
    path.write_text(render(TEMPLATE.read_text(encoding="utf-8"), values), encoding="utf-8")
    return path


def command(config: Path, nginx_dir: Path, logs: Path) -> List[str]:
    """nginx in the foreground; `-e` so that not even its first message goes to /var/log/nginx."""
    return [nginx_binary(), "-p", str(nginx_dir), "-c", str(config), "-e", str(logs / "proxy-error.log")]


def check_command(config: Path, nginx_dir: Path, logs: Path) -> List[str]:
    return command(config, nginx_dir, logs) + ["-t", "-q"]
