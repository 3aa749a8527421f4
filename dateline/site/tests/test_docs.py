"""Docs that cannot drift: the architecture map names every module, and every
environment variable the code reads is documented."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "dateline"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
ENV_EXAMPLE = ROOT / ".env.example"
OPERATIONS = ROOT / "docs" / "operations.md"

# Tests, migrations and test configuration document themselves.
NOT_MAPPED = {"tests", "migrations", "__pycache__"}


def code_paths():
    """Every module and package under dateline/, as repository paths ("dateline/x/")."""
    paths = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if NOT_MAPPED & set(relative.parts) or path.name == "conftest.py":
            continue
        if path.name == "__init__.py":
            if path.parent != PACKAGE:
                paths.append(f"{relative.parent.as_posix()}/")
        else:
            paths.append(relative.as_posix())
    return paths


def names_in(text):
    return set(re.findall(r"`([^`\s]+)`", text))


def architecture_rows():
    """{row path ("dateline/newsroom/"): names in backticks in that row}."""
    rows = {}
    for line in ARCHITECTURE.read_text().splitlines():
        cells = line.split("|")
        if len(cells) < 3:
            continue
        for key in names_in(cells[1]):
            rows[key] = names_in(line)
    return rows


def named(path, names):
    """Whether ``path`` is among ``names``: a module by its path, a package by its
    path or any path inside it."""
    if path.endswith("/"):
        return any(name.startswith(path) for name in names)
    return path in names


def named_in_row(path, names, row):
    """Whether the row of package ``row`` names ``path``: by its path from there, or a
    module by its file name beside its folder's (`backends/`: `base.py`, `gam.py`)."""
    relative = path[len(row) :]
    folder, _, filename = relative.rstrip("/").rpartition("/")
    return named(relative, names) or (
        bool(folder) and f"{folder}/" in names and filename in names
    )


def unmapped():
    return unmapped_among(code_paths())


def unmapped_among(paths):
    everywhere = names_in(ARCHITECTURE.read_text())
    rows = architecture_rows()
    return [
        path
        for path in paths
        if not named(path, everywhere)
        and not any(
            named_in_row(path, names, row)
            for row, names in rows.items()
            if row.endswith("/") and path.startswith(row) and path != row
        )
    ]


def test_architecture_map_names_every_module():
    missing = unmapped()
    assert not missing, (
        "docs/architecture.md does not name these modules (by path, or inside their "
        "package's row): " + ", ".join(missing)
    )


def test_the_map_check_notices_a_module_left_out():
    assert "dateline/newsroom/text.py" in code_paths()
    assert (
        "dateline/newsroom/demo/" in code_paths()
        or not (PACKAGE / "newsroom" / "demo").exists()
    )
    rows = architecture_rows()
    newsroom = rows["dateline/newsroom/"]
    assert named_in_row("dateline/newsroom/text.py", newsroom, "dateline/newsroom/")
    for absent in ["nosuch.py", "nosuch/", "nosuch/text.py"]:
        assert not named_in_row(
            f"dateline/newsroom/{absent}", newsroom, "dateline/newsroom/"
        )
    # A file name in another package's row does not count.
    assert "dateline/comments/nosuch/text.py" in unmapped_among(
        ["dateline/comments/nosuch/text.py"]
    )


ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_rate", "getenv"}


def variable_read(call):
    """The variable name a call reads from the environment, if it is one."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    reads_environ = (
        name == "get"
        and isinstance(func, ast.Attribute)
        and ast.unparse(func.value).endswith("environ")
    )
    if (name in ENV_READERS or reads_environ) and call.args:
        first = call.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def variables_read():
    """Every environment variable the product's code reads, by a literal name."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = set(path.relative_to(PACKAGE).parts)
        if parts & {"tests", "testing", "migrations"} or path.name == "conftest.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and (name := variable_read(node)):
                found.add(name)
            elif (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and ast.unparse(node.value).endswith("os.environ")
                and isinstance(node.slice, ast.Constant)
            ):
                found.add(node.slice.value)
    return found


def variables_in_env_example():
    text = ENV_EXAMPLE.read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.MULTILINE))


def test_every_variable_read_is_in_env_example_and_operations():
    example = variables_in_env_example()
    operations = names_in(OPERATIONS.read_text())
    read = variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "DATELINE_WORKERS", "PORT"} <= read
    assert sorted(read - example) == [], ".env.example lacks these"
    assert sorted(read - operations) == [], "docs/operations.md lacks these"


def test_env_example_names_nothing_the_code_does_not_read():
    example = variables_in_env_example()
    assert sorted(example - variables_read()) == []


README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
SERVERS = {"gunicorn", "granian", "uwsgi", "uvicorn", "waitress", "daphne", "hypercorn"}


def paragraphs(path):
    """The text's paragraphs; each row of a table on its own."""
    units = []
    for block in re.split(r"\n\s*\n", path.read_text()):
        if block.lstrip().startswith("|"):
            units += block.strip().splitlines()
        elif block.strip():
            units.append(block)
    return units


def test_readme_names_the_server_dateline_serve_runs():
    tree = ast.parse((PACKAGE / "server.py").read_text())
    imported = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } & SERVERS
    assert imported == {"granian"}
    about_serve = [text for text in paragraphs(README) if "`dateline serve`" in text]
    assert about_serve
    named = {server for text in about_serve for server in SERVERS if server in text}
    assert named == imported


def test_the_scheduler_is_documented_as_the_process_it_is():
    for path in [README, ENV_EXAMPLE, OPERATIONS]:
        for text in paragraphs(path):
            if "DATELINE_SCHEDULER" in text or "cheduled publishing" in text:
                assert "thread" not in text.replace("thread pool", ""), (path, text)


def test_every_dateline_command_in_the_docs_exists():
    from django.core.management import get_commands

    from dateline.cli import OWN_VERBS, VERB_ALIASES

    known = set(OWN_VERBS) | set(get_commands()) | set(VERB_ALIASES) | {"help"}
    mentioned = {
        (path.name, verb)
        for path in DOCS
        for verb in re.findall(r"`dateline ([a-z_-]+)", path.read_text())
    }
    assert sorted((doc, verb) for doc, verb in mentioned if verb not in known) == []
