from modelsearch.backends.database.postgres import postgres

from .titles import IncrementalTitleNorms


class PostgresIndex(IncrementalTitleNorms, postgres.PostgresIndex):
    pass


class PostgresSearchBackend(postgres.PostgresSearchBackend):
    index_class = PostgresIndex
