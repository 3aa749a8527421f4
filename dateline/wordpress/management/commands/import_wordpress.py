"""``dateline import-wordpress EXPORT.xml``: see docs/migration.md."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site

from dateline.wordpress.importer import Importer, Options
from dateline.wordpress.report import Progress
from dateline.wordpress.wxr import WXRError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR file or a directory of them) into a site."

    def add_arguments(self, parser):
        parser.add_argument("export", help="a WXR file, or a directory of them")
        media = parser.add_mutually_exclusive_group()
        media.add_argument("--media-dir", help="a copy of wp-content/uploads")
        media.add_argument("--media-url", help="the old site's uploads address")
        parser.add_argument("--dry-run", action="store_true", help="write nothing")
        parser.add_argument("--site", help="the host name of the site to import into")
        parser.add_argument(
            "--create-users",
            action="store_true",
            help="give each author an account (unusable password, Contributor role)",
        )
        parser.add_argument("--downloads", type=int, default=4)
        parser.add_argument("--report", help="where to write the report file")
        parser.add_argument(
            "--batch",
            type=int,
            default=200,
            help="new posts written per transaction (default 200)",
        )

    def handle(self, *args, **options):
        if options["batch"] < 1:
            self.stderr.write("dateline: error: --batch must be at least 1")
            sys.exit(2)
        importer = Importer(
            Path(options["export"]),
            Options(
                media_dir=Path(options["media_dir"]) if options["media_dir"] else None,
                media_url=options["media_url"] or "",
                dry_run=options["dry_run"],
                site=self.site(options["site"]),
                create_users=options["create_users"],
                downloads=options["downloads"],
                batch=options["batch"],
            ),
            progress=Progress(
                stream=self.stderr._out if options["verbosity"] else None
            ),
        )
        try:
            report = importer.run()
        except WXRError as exc:
            self.stderr.write(f"dateline: error: {exc}")
            sys.exit(2)
        self.stdout.write(report.table())
        for phase, rate in importer.rates.items():
            self.stdout.write(f"{phase}: {rate:.1f}/s")
        path = Path(options["report"] or self.report_name())
        path.write_text(report.as_text(), encoding="utf-8")
        self.stdout.write(f"Report: {path}")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")

    @staticmethod
    def site(host):
        if not host:
            return None
        site = Site.objects.filter(hostname=host).first()
        if site is None:
            raise CommandError(f"no site with the host name {host}")
        return site

    @staticmethod
    def report_name() -> str:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return f"wordpress-import-{stamp}.txt"
