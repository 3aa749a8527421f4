"""The Nu HTML checker and axe-core, as the npm packages ``vnu-jar`` and ``axe-core``
install them in ``node_modules/`` (``make install``); Java comes from Debian.

Missing tools skip a test on a developer's machine and fail it in CI, like a missing
Chromium (``DATELINE_REQUIRE_BROWSER`` / ``DATELINE_NO_SKIPS``).
"""

import json
import os
import shutil
import subprocess  # noqa: S404 - runs the checker the project installs
from pathlib import Path

import pytest

NODE_MODULES = Path(
    os.environ.get(
        "DATELINE_NODE_MODULES",
        Path(__file__).resolve().parent.parent.parent / "node_modules",
    )
)
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"


def require_tool(available: bool, what: str):
    """Skip without ``what``, or fail when CI requires every test to run."""
    if available:
        return
    message = f"{what} is not installed (make install)"
    if os.environ.get("DATELINE_REQUIRE_BROWSER") or os.environ.get(
        "DATELINE_NO_SKIPS"
    ):
        pytest.fail(message)
    pytest.skip(message)


def nu_errors(paths) -> list[dict]:
    """The Nu checker's errors over every file in ``paths``, in one run of Java."""
    java = shutil.which("java")
    require_tool(bool(java), "Java (for the Nu HTML checker)")
    require_tool(VNU_JAR.is_file(), f"The Nu HTML checker ({VNU_JAR})")
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # The checker writes its report to stderr; a crash leaves no JSON there.
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"The Nu HTML checker did not report: {result.stderr[-2000:]}")
    failures = {"error", "non-document-error"}
    return [message for message in report["messages"] if message["type"] in failures]


def axe_violations(page) -> list[dict]:
    """What axe-core finds wrong on the page open in ``page`` (Playwright)."""
    require_tool(AXE_SCRIPT.is_file(), f"axe-core ({AXE_SCRIPT})")
    page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async () => {
            const results = await axe.run(document);
            return results.violations.map(v => ({
                id: v.id,
                help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " : " + n.failureSummary),
            }));
        }"""
    )
