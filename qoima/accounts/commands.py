"""`qoima user add` and `qoima access set`: users with one archival role, access rules on the tree."""

from __future__ import annotations

import sys
from datetime import date

import typer

from qoima.cli import QoimaError, console, django_setup

user_app = typer.Typer(help="Users and their roles (public, researcher, archivist, admin).", no_args_is_help=True)
access_app = typer.Typer(help="Access rules: open, closed, embargoed until a date, researchers only.",
                         no_args_is_help=True)


def _read_password(name: str) -> str:
    """From the terminal (asked twice), or the first line of stdin when it is not a terminal."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise QoimaError("no password on standard input")
        return line
    first = typer.prompt(f"Password for {name}", hide_input=True)
    if typer.prompt("Repeat the password", hide_input=True) != first:
        raise QoimaError("the two passwords differ")
    return first


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="user name"),
    role: str = typer.Option("researcher", "--role", help="public, researcher, archivist or admin"),
    email: str = typer.Option("", "--email", help="e-mail address"),
    update: bool = typer.Option(False, "--update", help="change role/password of an existing user"),
) -> None:
    """Create a user; the password is asked for, or read from standard input (never an argument)."""
    django_setup()
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from qoima.accounts.models import Role, User

    if role not in Role.values:
        raise QoimaError(f"unknown role {role!r}; use one of: {', '.join(Role.values)}")
    existing = User.objects.filter(username=name).first()
    if existing is not None and not update:
        raise QoimaError(f"user {name!r} exists already (use --update to change it)")
    password = _read_password(name)
    user = existing or User(username=name)
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise QoimaError("password refused: " + " ".join(e.messages)) from None
    with transaction.atomic():
        user.role = role
        if email:
            user.email = email
        if role in (Role.PUBLIC, Role.RESEARCHER):
            user.is_staff = user.is_superuser = False
        user.set_password(password)
        user.save()
    console.print(f"{'Updated' if existing else 'Created'} user {name} ({role})")


@access_app.command("set")
def access_set(
    ref: str = typer.Argument(..., help="reference code of the description"),
    status: str = typer.Option(..., "--status", help="open, closed, embargo, researchers (or inherit)"),
    until: str = typer.Option(None, "--until", help="end of an embargo, YYYY-MM-DD"),
    reason: str = typer.Option("", "--reason", help="why, e.g. 'personal data'"),
) -> None:
    """Set the access rule of a description; it applies to everything below it that has no rule of its own."""
    django_setup()
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Access, Description

    d = Description.objects.filter(ref=ref).first()
    if d is None:
        raise QoimaError(f"no description with reference code {ref!r}")
    value = "" if status == "inherit" else status
    if value not in Access.values:
        raise QoimaError(f"unknown status {status!r}; use open, closed, embargo, researchers or inherit")
    end = None
    if until:
        try:
            end = date.fromisoformat(until)
        except ValueError:
            raise QoimaError(f"--until {until!r} is not a date (YYYY-MM-DD)") from None
        if value != Access.EMBARGO:
            raise QoimaError("--until applies to --status embargo only")
    try:
        d = hierarchy.set_access(d, value, end, reason)
    except hierarchy.HierarchyError as e:
        raise QoimaError(str(e)) from None
    below = hierarchy.subtree(d, include_self=False).count()
    rule = d.effective_access + (f" until {d.effective_until}" if d.effective_until else "")
    console.print(f"{d.ref}: {rule}" + (f" ({d.effective_reason})" if d.effective_reason else "")
                  + (f"; {below} description(s) below follow unless they have a rule of their own" if below else ""))


@access_app.command("show")
def access_show(ref: str = typer.Argument(..., help="reference code")) -> None:
    """The rule in force for a description and where it comes from."""
    django_setup()
    from qoima.catalogue import hierarchy
    from qoima.catalogue.models import Description

    d = Description.objects.filter(ref=ref).first()
    if d is None:
        raise QoimaError(f"no description with reference code {ref!r}")
    source = d if d.access_status else next((a for a in reversed(hierarchy.ancestors(d)) if a.access_status), None)
    rule = d.effective_access + (f" until {d.effective_until}" if d.effective_until else "")
    console.print(f"{d.ref}: {rule}" + (f" ({d.effective_reason})" if d.effective_reason else "")
                  + (f", set on {source.ref}" if source is not None and source.pk != d.pk else ""))
