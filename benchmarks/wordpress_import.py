"""Importing a large WordPress export on the embedded SQLite default.

Writes a synthetic export (``dateline.wordpress.sample``: Gutenberg and classic
bodies, a category tree, tags, attachments as local files, comment threads with
every status), imports it with ``dateline import-wordpress --media-dir`` into a
fresh site, and prints the wall time, posts/s, comments/s and the importer's peak
memory. The reference, in the same run: ``dateline generate`` adding the same
number of articles to another fresh site.

    .venv/bin/python benchmarks/wordpress_import.py [--posts 10000] [--comments 50000]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATELINE = [sys.executable, "-m", "dateline.cli"]
TARGET_SECONDS = 300
TARGET_MB = 500


def environment(data_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DATELINE_DATA_DIR=str(data_dir), SECRET_KEY="b" * 50)
    return env


def timed(args, env) -> tuple[float, float, str, float]:
    """(seconds, peak resident MB, stdout, CPU seconds) of one ``dateline`` process.

    The CPU seconds (user + system) do not grow when other work shares the machine,
    as the wall time does: on a quiet machine the wall time is close to them."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(
            [*DATELINE, *args], env=env, stdout=out, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        text = out.read()
    if process.returncode != 0:
        sys.exit(f"dateline {args[0]} failed:\n{text}")
    return seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime


def fresh_site(folder: Path) -> dict:
    env = environment(folder / "data")
    subprocess.run([*DATELINE, "migrate", "-v0"], env=env, check=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--attachments", type=int, default=None)
    args = parser.parse_args()

    from dateline.wordpress.sample import SampleExport

    with tempfile.TemporaryDirectory(prefix="dateline-wp-bench-") as tmp:
        folder = Path(tmp)
        export = SampleExport(
            posts=args.posts, comments=args.comments, attachments=args.attachments
        ).write(folder / "export.xml", folder / "uploads")
        size = export.stat().st_size / 1024 / 1024
        print(
            f"Export: {args.posts:,} posts, {args.comments:,} comments, {size:.1f} MB"
        )

        env = fresh_site(folder / "import")
        seconds, peak, out, cpu = timed(
            [
                "import-wordpress",
                str(export),
                "--media-dir",
                str(folder / "uploads"),
                "--report",
                str(folder / "report.txt"),
            ],
            env,
        )
        rates = dict(re.findall(r"^(\w+): ([\d.]+)/s$", out, re.MULTILINE))
        print(out.split("terms:")[0].rstrip())
        print(
            f"import: {seconds:.1f} s wall, {cpu:.1f} s CPU, peak memory {peak:.0f} MB"
        )
        for phase in ("media", "posts", "comments", "redirects"):
            print(f"  {phase}: {float(rates.get(phase, 0)):.1f}/s")

        reference_env = fresh_site(folder / "reference")
        ref_seconds, _, _, ref_cpu = timed(
            ["generate", "--articles", str(args.posts)], reference_env
        )
        ref_rate = args.posts / ref_seconds
        posts_rate = float(rates.get("posts", 0))
        print(
            f"reference: dateline generate {args.posts:,} articles in "
            f"{ref_seconds:.1f} s = {ref_rate:.1f} articles/s ({ref_cpu:.1f} s CPU)"
        )
        print(
            f"ratio posts/s (import) / articles/s (generate): "
            f"{posts_rate / ref_rate:.3f}"
        )
        print(
            f"target: under {TARGET_SECONDS} s: "
            f"{'met' if seconds < TARGET_SECONDS else 'NOT met'} (wall), "
            f"{'met' if cpu < TARGET_SECONDS else 'NOT met'} (CPU); "
            f"under {TARGET_MB} MB: {'met' if peak < TARGET_MB else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
