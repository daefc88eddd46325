"""The arrows between the apps (docs/architecture.md), read from every module's imports.

Every ``import`` and ``from ... import`` is read with ``ast``, function-local ones and
``from . import`` included; only imports under ``if TYPE_CHECKING:`` are left out (they
never run). An import is allowed when the importing module's layer is at or above the
imported module's layer, and a module that is not a top module (views, tasks, URL confs,
admin, commands, ``apps``) imports no top module. On top of that, no two modules import
each other, directly or round a longer loop.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agenda", "participants", "logistics", "notifications", "config")

# Layers, lowest first: a module may import its own layer and those below it.
MAIL, AGENDA, PARTICIPANTS, LOGISTICS, REMINDERS, CONFIG = range(6)
LAYER_NAMES = {
    MAIL: "notifications.outbox/models (mail)",
    AGENDA: "agenda",
    PARTICIPANTS: "participants",
    LOGISTICS: "logistics",
    REMINDERS: "notifications on top (reminders, tasks, views, admin)",
    CONFIG: "config",
}
# notifications' own modules that sit below every domain app.
MAIL_MODULES = ("notifications", "notifications.models", "notifications.outbox")
# The top layer of an app: nothing but other top modules may import these.
TOP_NAMES = {"views", "tasks", "urls", "admin", "management", "apps"}


def layer_of(module: str) -> int:
    app = module.split(".")[0]
    if app == "notifications":
        is_mail = module in MAIL_MODULES or module.startswith("notifications.migrations")
        return MAIL if is_mail else REMINDERS
    return {"agenda": AGENDA, "participants": PARTICIPANTS, "logistics": LOGISTICS}.get(app, CONFIG)


def is_top(module: str) -> bool:
    """Views, tasks, URL confs, admin, commands and AppConfigs, in any package of an app."""
    return module.startswith("config") or bool(TOP_NAMES & set(module.split(".")[1:]))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _under_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, source: str, *, is_package: bool, known: set[str]) -> list[tuple]:
    """(imported module, line) for every import in ``source`` that names one of ours."""
    package = module if is_package else module.rpartition(".")[0]
    found = []

    def ours(name: str) -> bool:
        return name.split(".")[0] in PACKAGES

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _under_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names if ours(alias.name))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if ours(target):
                for alias in node.names:
                    # "from . import services" imports the module services, not the package.
                    candidate = f"{target}.{alias.name}"
                    found.append((candidate if candidate in known else target, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def violations(module: str, imported: str) -> list[str]:
    """Why ``module`` may not import ``imported``; empty when it may."""
    if imported == module:
        return []
    problems = []
    if layer_of(imported) > layer_of(module):
        problems.append(
            f"{LAYER_NAMES[layer_of(module)]} must not import {LAYER_NAMES[layer_of(imported)]}"
        )
    if is_top(imported) and not is_top(module):
        problems.append("only views, tasks, URLs, admin, commands and apps import a top module")
    return problems


def read_tree() -> dict[str, tuple[str, bool]]:
    """Module name -> (source, is a package), for every module of the project's apps."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = (path.read_text(), path.name == "__init__.py")
    return modules


def check(modules: dict[str, tuple[str, bool]]) -> tuple[list[str], dict[str, set[str]]]:
    """Every forbidden import, as 'module:line imports other (why)', and the import graph."""
    known = set(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    errors = []
    for module, (source, is_package) in modules.items():
        for imported, line in imports_of(module, source, is_package=is_package, known=known):
            if imported in known and imported != module:
                graph[module].add(imported)
            for why in violations(module, imported):
                error = f"{module}:{line} imports {imported} ({why})"
                if error not in errors:  # "from x import a, b" is one import
                    errors.append(error)
    return errors, graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_every_import_follows_the_arrows():
    errors, _ = check(read_tree())
    assert errors == []


def test_no_modules_import_each_other():
    _, graph = check(read_tree())
    assert cycles(graph) == []


def test_the_tree_is_read_whole():
    modules = read_tree()
    # The modules this page is about are all seen, nested packages too.
    for name in (
        "agenda.services",
        "agenda.admin.scope",
        "participants.papers.queries",
        "participants.programme.services",
        "logistics.contributions",
        "notifications.outbox",
        "config.urls",
    ):
        assert name in modules
    assert len(modules) > 80


# The checker itself: it must fail on what it is meant to catch.

BASE = {
    "agenda": ("", True),
    "agenda.models": ("", False),
    "agenda.queries": ("", False),
    "agenda.views": ("", False),
    "participants": ("", True),
    "participants.models": ("", False),
    "participants.services": ("", False),
    "participants.views": ("", True),
    "participants.views.portal": ("", False),
    "logistics": ("", True),
    "logistics.models": ("", False),
    "notifications": ("", True),
    "notifications.models": ("", False),
    "notifications.outbox": ("", False),
    "notifications.tasks": ("", False),
    "notifications.reminders": ("", False),
}


def check_one(module: str, source: str) -> list[str]:
    modules = dict(BASE)
    modules[module] = (source, modules.get(module, ("", False))[1])
    return check(modules)[0]


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        # agenda below participants, at module level and inside a function.
        (
            "agenda.queries",
            "from participants.models import Participant\n",
            "agenda.queries:1 imports participants.models (agenda must not import participants)",
        ),
        (
            "agenda.queries",
            "def f():\n    from logistics.models import TravelPlan\n",
            "agenda.queries:2 imports logistics.models (agenda must not import logistics)",
        ),
        (
            "agenda.views",
            "import participants.services\n",
            "agenda.views:1 imports participants.services (agenda must not import participants)",
        ),
        # The outbox knows no domain app and not the tasks above it (relative import).
        (
            "notifications.outbox",
            "def dispatch():\n    from .tasks import send_message\n",
            "notifications.outbox:2 imports notifications.tasks (notifications.outbox/models "
            "(mail) must not import notifications on top (reminders, tasks, views, admin))",
        ),
        (
            "notifications.outbox",
            "from agenda.models import Meeting\n",
            "notifications.outbox:1 imports agenda.models "
            "(notifications.outbox/models (mail) must not import agenda)",
        ),
        # "from . import views" in a service: a service does not reach for its own views.
        (
            "participants.services",
            "from .views import portal\n",
            "participants.services:1 imports participants.views.portal "
            "(only views, tasks, URLs, admin, commands and apps import a top module)",
        ),
    ],
)
def test_checker_fails_on_a_forbidden_import(module, source, expected):
    assert check_one(module, source)[:1] == [expected]


def test_checker_gives_every_reason_an_import_is_forbidden():
    assert check_one("notifications.outbox", "from . import tasks\n") == [
        "notifications.outbox:1 imports notifications.tasks (notifications.outbox/models (mail) "
        "must not import notifications on top (reminders, tasks, views, admin))",
        "notifications.outbox:1 imports notifications.tasks "
        "(only views, tasks, URLs, admin, commands and apps import a top module)",
    ]


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("participants.services", "from agenda.models import Meeting\n"),
        ("participants.views.portal", "from agenda import queries\nfrom .. import services\n"),
        ("logistics.models", "def f():\n    from participants.models import Participant\n"),
        ("notifications.reminders", "from logistics.models import TravelPlan\n"),
        (
            "agenda.queries",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from participants.models import Participant\n",
        ),
    ],
)
def test_checker_passes_an_import_along_the_arrows(module, source):
    assert check_one(module, source) == []


def test_checker_finds_modules_that_import_each_other():
    modules = dict(BASE)
    modules["participants.services"] = ("from . import views\n", False)
    modules["participants.views.portal"] = ("from .. import services\n", False)
    modules["participants.views"] = ("from . import portal\n", True)
    _, graph = check(modules)
    assert cycles(graph) == [
        ["participants.services", "participants.views", "participants.views.portal"]
    ]
