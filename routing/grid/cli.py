"""The grid's commands of `python -m routing` (added to routing/cli.py), and its round of
the background loop: stage reminders and escalations, and triage that waited for Rasa."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from assistant_contract.grid import CADRE, GRID_ROLES
from sqlalchemy import select

from routing import auth, cadres
from routing.grid import bindings, children, deadlines, services, tree, work_orders
from routing.grid.models import GridMember, GridUnit
from routing.grid.settings import GridSettings
from routing.grid.triage import run_round
from routing.models import User, utcnow
from routing.settings import Settings

COMMANDS = ("load-grid-data", "create-grid-user", "create-cadre", "issue-binding-code", "set-grid-unit",
            "import-children", "import-work-orders")


def add_commands(commands) -> None:
    load = commands.add_parser("load-grid-data", help="load the grid tree (county → … → second-level grids) from YAML")
    load.add_argument("file", nargs="?", default=str(tree.SAMPLE_FILE))
    person = commands.add_parser("create-grid-user", help="create a grid worker, verifier or federation staff")
    person.add_argument("--username", required=True)
    person.add_argument("--password", required=True)
    person.add_argument("--role", required=True, choices=GRID_ROLES)
    person.add_argument("--unit", required=True, help="where in the grid tree she works")
    person.add_argument("--title", default=None)
    cadre = commands.add_parser("create-cadre", help="create a federation cadre (执委) of an office at any of the "
                                                     "five levels, for 执委学堂 in her chat")
    cadre.add_argument("--username", required=True)
    cadre.add_argument("--password", required=True)
    cadre.add_argument("--office", required=True, help="her office's id in the directory (organisations)")
    code = commands.add_parser("issue-binding-code", help="a one-time code that binds a grid worker's or "
                                                          "cadre's chat")
    code.add_argument("--user", required=True, help="her username")
    unit = commands.add_parser("set-grid-unit", help="place a grid worker, verifier or federation staff in the tree")
    unit.add_argument("--user", required=True)
    unit.add_argument("--unit", required=True, help="the unit's code in the grid tree")
    for name, what in (("import-children", "left-behind children and children in difficulty"),
                       ("import-work-orders", "12345 and department work orders")):
        commands.add_parser(name, help=f"import {what} from CSV (idempotent)").add_argument("file")


def _user(db, name: str) -> Optional[User]:
    user = db.scalars(select(User).where(User.username == name)).first()
    if user is None:
        print(f"error: no user {name}", file=sys.stderr)
    return user


def run(args: argparse.Namespace, settings: Settings, session_factory) -> int:
    grid = GridSettings()
    try:
        with session_factory() as db, db.begin():
            if args.command == "load-grid-data":
                print(f"Loaded {tree.load_file(db, Path(args.file))} grid units.")
            elif args.command == "create-grid-user":
                if db.get(GridUnit, args.unit) is None:
                    print(f"error: no unit {args.unit} in the grid tree", file=sys.stderr)
                    return 2
                user = auth.create_user(db, username=args.username, password=args.password, role=args.role,
                                        title=args.title or "工作人员")
                db.add(GridMember(user_id=user.id, unit_code=args.unit))
                print(f"Created {args.role} {args.username} in {args.unit}.")
            elif args.command == "create-cadre":
                user = auth.create_user(db, username=args.username, password=args.password, role=CADRE, title="妇联执委")
                office = cadres.place_cadre(db, user, args.office)
                print(f"Created cadre {args.username} of {office.name} ({office.level}).")
            elif args.command == "issue-binding-code":
                user = _user(db, args.user)
                if user is None:
                    return 2
                issued = bindings.issue_code(db, user, grid.binding_code_minutes)
                print(f"Binding code for {user.username}: {issued.code} (valid for {grid.binding_code_minutes} "
                      "minutes, once). She sends it in her chat to bind it.")
            elif args.command == "set-grid-unit":
                user = _user(db, args.user)
                if user is None or db.get(GridUnit, args.unit) is None:
                    print(f"error: no user {args.user} or no unit {args.unit}", file=sys.stderr)
                    return 2
                db.merge(GridMember(user_id=user.id, unit_code=args.unit))
                print(f"{user.username} now works in {args.unit}.")
            elif args.command == "import-children":
                result = children.import_csv(db, Path(args.file).read_text(encoding="utf-8"), grid.id_hash_key)
                print(f"Children: {result.created} new, {result.updated} updated.")
            elif args.command == "import-work-orders":
                hours = (settings.sla_normal_hours, settings.sla_urgent_hours)
                result = work_orders.import_csv(db, Path(args.file).read_text(encoding="utf-8"), grid, hours)
                print(f"Work orders: {result.created} new, {result.duplicates} filed before.")
    except (ValueError, tree.TreeError, children.ImportRefused, work_orders.ImportRefused) as error:  # cadres.UnknownOffice is a ValueError
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def background_round(settings: Settings, session_factory, grid: Optional[services.GridServices] = None) -> None:
    """Remind and escalate late stages; triage what waited for Rasa. Called by the SLA loop."""
    grid = grid or services.build(settings, session_factory)
    with session_factory() as db, db.begin():
        deadlines.sweep(db, utcnow(), grid.settings)
    run_round(session_factory, grid.parser, grid.taxonomy, grid.settings, grid.handoff_hours)
