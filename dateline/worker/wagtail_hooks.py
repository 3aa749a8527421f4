from datetime import timedelta

from wagtail import hooks

from . import tasks
from .periodic import Periodic


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    return [Periodic("prune-finished-tasks", tasks.prune_finished, timedelta(days=1))]
