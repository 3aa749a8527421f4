import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email

from ...actions import do_erase_commenter
from ...queries import everything_about


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase everything stored about one commenter's e-mail "
        "address: their comments, reports on them, bans."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="confirm erasure")

    def handle(self, *args, action, email, yes, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"not an e-mail address: {email!r}") from None
        if action == "export":
            data = everything_about(email)
            self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2))
            return
        if not yes:
            raise CommandError(
                "erasure deletes comments for good; add --yes to go ahead"
            )
        count = do_erase_commenter(email)
        self.stdout.write(f"Erased {count} comment(s) and any ban for {email}.")
