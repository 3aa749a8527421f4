"""A read built by the ORM once and run on every view with its own values.

Django builds a query's SQL anew each time it runs: for the article page's read (a
page joined with its article, the counts the hooks add) building took 1-2 ms, more
than SQLite took to answer it. A ``CompiledRead`` has Django build the SQL once per
database, with a marker where each value goes, and runs it as a raw query: the rows
are the same model instances, annotations and prefetches included.
"""

from django.db import connections, router
from django.db.models import prefetch_related_objects


class CompiledRead:
    """``CompiledRead(Model, build, name=str, other=int)``: ``build(**markers)``
    returns the queryset of ``Model``, filtered on the markers it is handed, one per
    value of the type named; ``read(name=..., other=...)`` runs it with the values
    in their places and returns the list of instances."""

    def __init__(self, model, build, **kinds):
        self.model = model
        self.build = build
        self.markers = {
            name: _marker(name, number, kind)
            for number, (name, kind) in enumerate(kinds.items())
        }
        self._compiled: dict[str, tuple] = {}

    def __call__(self, **values) -> list:
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            queryset = self.build(**self.markers)
            compiled = self._compiled[alias] = _compile(queryset, alias, self.markers)
        sql, params, places, annotations, prefetches = compiled
        params = list(params)
        for position, name in places:
            params[position] = values[name]
        rows = list(self.model._default_manager.db_manager(alias).raw(sql, params))
        _convert(rows, annotations, alias)
        if prefetches and rows:
            prefetch_related_objects(rows, *prefetches)
        return rows


def _marker(name: str, number: int, kind: type):
    # A value no row holds, found again among the query's parameters.
    if kind is int:
        return -(2**62) - number
    if kind is str:
        return f"\x00dateline-compiled:{name}\x00"
    raise TypeError(f"{name}: only int and str values can be compiled in")


def _compile(queryset, alias: str, markers: dict) -> tuple:
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    named = {marker: name for name, marker in markers.items()}
    # Only ints and strings are looked up: a list's parameter cannot be.
    places = [
        (i, named[p])
        for i, p in enumerate(params)
        if type(p) in (int, str) and p in named
    ]
    if {name for _, name in places} != set(markers):
        # A value the ORM rewrote (a pattern, a cast): not safe to put back in place.
        raise ValueError("every value must reach the SQL as it was given")
    # A raw query sets annotations as the database returns them (SQLite's 0 and 1
    # for a boolean): the ORM's converters for them are applied here.
    annotations = {}
    for name, expression in queryset.query.annotation_select.items():
        found = compiler.get_converters([expression])
        if found:
            annotations[name] = found[0]  # (converters, expression)
    prefetches = tuple(queryset._prefetch_related_lookups)
    return sql, tuple(params), places, annotations, prefetches


def _convert(rows, annotations, alias) -> None:
    if not annotations:
        return
    connection = connections[alias]
    for row in rows:
        for name, (converters, expression) in annotations.items():
            value = getattr(row, name)
            for convert in converters:
                value = convert(value, expression, connection)
            setattr(row, name, value)
