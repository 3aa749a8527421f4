from django.dispatch import Signal

# comment: the stored Comment
comment_submitted = Signal()
# comment, moderator (a user or None)
comment_moderated = Signal()
