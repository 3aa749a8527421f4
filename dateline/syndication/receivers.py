from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import NoIndexPage
from .queries import forget_hidden_pages


@receiver(post_save, sender=NoIndexPage)
@receiver(post_delete, sender=NoIndexPage)
def hidden_pages_changed(sender, **kwargs):
    forget_hidden_pages()
