from datetime import timedelta

from wagtail import hooks

from . import tasks
from .periodic import Periodic


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    day = timedelta(days=1)
    return [
        Periodic("prune-finished-tasks", tasks.prune_finished, day),
        Periodic("refresh-statistics", tasks.refresh_statistics, day),
    ]
