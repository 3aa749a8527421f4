from datetime import timedelta

from wagtail import hooks

from dateline.worker.periodic import Periodic

from . import conf, tasks


@hooks.register("register_periodic_tasks")
def periodic_tasks():
    every = timedelta(seconds=conf.title_norms_every())
    return [Periodic("refresh-title-norms", tasks.refresh_title_norms, every)]
