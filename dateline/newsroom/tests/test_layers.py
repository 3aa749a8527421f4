"""The newsroom is the bottom layer: nothing in it, code or migrations, names another
of our apps, so each app above it can be left out without breaking it."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

NEWSROOM = Path(__file__).resolve().parents[1]
OURS = "dateline."
# The libraries under every app, which know none of the apps (docs/architecture.md).
BELOW = ("dateline.newsroom", "dateline.caching", "dateline.worker")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module or ""


def test_newsroom_code_imports_no_other_app_of_ours():
    foreign = {
        f"{path.relative_to(NEWSROOM)}: {module}"
        for path in NEWSROOM.rglob("*.py")
        if "tests" not in path.parts
        for module in imported_modules(path)
        if module.startswith(OURS) and not module.startswith(BELOW)
    }
    assert foreign == set()


@pytest.mark.django_db
def test_newsroom_migrations_depend_on_no_other_app_of_ours():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith(OURS)
    }
    foreign = {
        (name, dependency)
        for (app, name), migration in loader.disk_migrations.items()
        if app == "dateline_newsroom"
        for dependency in migration.dependencies
        if dependency[0] in ours - {"dateline_newsroom"}
    }
    assert foreign == set()
