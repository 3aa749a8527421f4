"""A read built by the ORM once and run on every view with its own values.

Django builds a query's SQL anew each time it runs: for the article page's read (a
page joined with its article, the counts the hooks add) building took 1-2 ms, more
than SQLite took to answer it. A ``CompiledRead`` has Django build the SQL once per
database, with a marker where each value goes, and keeps what the ORM worked out
with it: which columns make the model, which are annotations, and the converters
each column needs. A view runs the SQL with its values and makes the instances as
the ORM's own iterable does (``Model.from_db``), annotations and prefetches included.
"""

from dataclasses import dataclass

from django.db import connections, router
from django.db.models import prefetch_related_objects


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    places: list  # (position among the params, value name)
    fields: list  # the model's attnames, in the order of their columns
    start: int  # where the model's columns begin in a row
    annotations: dict  # name -> position in a row
    converters: dict  # position -> (converters, expression)
    prefetches: tuple


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
        params = list(compiled.params)
        for position, name in compiled.places:
            params[position] = values[name]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        instances = [self._instance(row, compiled, alias, connection) for row in rows]
        if compiled.prefetches and instances:
            prefetch_related_objects(instances, *compiled.prefetches)
        return instances

    def _instance(self, row, compiled, alias, connection):
        if compiled.converters:
            row = list(row)
            for position, (converters, expression) in compiled.converters.items():
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
        end = compiled.start + len(compiled.fields)
        instance = self.model.from_db(alias, compiled.fields, row[compiled.start : end])
        for name, position in compiled.annotations.items():
            setattr(instance, name, row[position])
        return instance


def _marker(name: str, number: int, kind: type):
    # A value no row holds, found again among the query's parameters.
    if kind is int:
        return -(2**62) - number
    if kind is str:
        return f"\x00dateline-compiled:{name}\x00"
    raise TypeError(f"{name}: only int and str values can be compiled in")


def _compile(queryset, alias: str, markers: dict) -> _Compiled:
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
    info = compiler.klass_info
    if info is None or info.get("related_klass_infos"):
        raise ValueError("only a read of the model's own row (no select_related)")
    columns = info["select_fields"]
    fields = [compiler.select[i][0].target.attname for i in columns]
    # The converters the ORM applies to each column it reads: a boolean from SQLite
    # is 0 or 1 until then, a date a string.
    converters = compiler.get_converters([column[0] for column in compiler.select])
    return _Compiled(
        sql=sql,
        params=tuple(params),
        places=places,
        fields=fields,
        start=columns[0],
        annotations=dict(compiler.annotation_col_map),
        converters=converters,
        prefetches=tuple(queryset._prefetch_related_lookups),
    )
