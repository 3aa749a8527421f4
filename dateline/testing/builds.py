"""A page build held part-way, for tests of what happens while one is under way."""

import threading
import urllib.request


class HeldBuild:
    """Registered as Wagtail's ``before_serve_page`` hook (which runs after the page
    was read from the database, before it is served): holds the first page build
    that reaches it until ``release()``; later builds go through."""

    def __init__(self):
        self.reached = threading.Event()
        self.go_on = threading.Event()

    def __call__(self, page, request, args, kwargs):
        if not self.reached.is_set():
            self.reached.set()
            self.go_on.wait(timeout=30)

    def release(self):
        self.go_on.set()


def fetch(url, header="X-Cache"):
    """(body, the value of ``header``) of a GET of ``url`` for the host localhost."""
    request = urllib.request.Request(url, headers={"Host": "localhost"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read().decode(), response.headers[header]


def in_thread(target, *args) -> tuple[threading.Thread, dict]:
    """``target(*args)`` started in a thread; its result lands in the dict's
    ``"result"`` once the thread is joined."""
    outcome = {}
    thread = threading.Thread(
        target=lambda: outcome.update(result=target(*args)), daemon=True
    )
    thread.start()
    return thread, outcome
