"""Index entries from field values handed over, instead of read from the objects.

Wagtail's index writers take model instances and work out every search field's
value from each of them in Python, once per column of the entry (a StreamField's
text five times an article), and PostgreSQL's then compiles an SQL expression per
object: about 6 ms an article. A bulk writer that already knows those values
(``dateline generate`` made the text it stored) hands them over instead, as
``{pk: {field name: value}}`` with each value what ``SearchField.get_value`` would
return for it, and the entries are written in a statement or two per batch.

Wagtail's own ``ObjectIndexer`` still turns the values into columns (which field
goes to which column, the weights, how lists are joined), so the entries are the
ones ``add_items`` writes; ``newsroom/tests/test_generate.py`` compares them
column by column on both databases.
"""

from django.core.exceptions import FieldDoesNotExist


class NoModelFields:
    def get_field(self, name):
        raise FieldDoesNotExist(name)


class GivenValues:
    """An object to index that carries its search fields' values as attributes.

    A search field that names no model field is read with ``getattr`` (that is how
    Wagtail indexes methods and properties), and this object's ``_meta`` knows no
    fields, so the indexer reads every value as given."""

    _meta = NoModelFields()

    def __init__(self, model, pk, values):
        self.model, self.pk = model, pk
        self.__dict__.update(values)

    def get_search_fields(self):
        return self.model.get_search_fields()


def given_objects(model, values):
    """``values`` (``{pk: {field name: value}}``) as objects for an index writer."""
    return [GivenValues(model, pk, fields) for pk, fields in values.items()]


class ValuesBackend:
    """A mixin for a search backend whose index classes take ``add_values``."""

    def add_values(self, model, values):
        """Index ``values`` (``{pk: {field name: value}}``) as entries of ``model``,
        the entries ``add_bulk`` writes for objects with those values."""
        self.get_index_for_model(model).add_values(model, values)
