from modelsearch.backends.database.sqlite import sqlite

from .titles import IncrementalTitleNorms
from .values import ValuesBackend, given_objects


class SQLiteIndex(IncrementalTitleNorms, sqlite.SQLiteIndex):
    def add_values(self, model, values):
        # Wagtail's writer already stores plain text (FTS5 tokenises it through
        # the table's triggers): what it costs per object is reading the values.
        self.add_items(model, given_objects(model, values))


class SQLiteSearchBackend(ValuesBackend, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
