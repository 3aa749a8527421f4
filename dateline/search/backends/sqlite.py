from modelsearch.backends.database.sqlite import sqlite

from .titles import IncrementalTitleNorms


class SQLiteIndex(IncrementalTitleNorms, sqlite.SQLiteIndex):
    pass


class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
