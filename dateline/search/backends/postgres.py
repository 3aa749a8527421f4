from collections import defaultdict
from typing import NamedTuple

from django.contrib.postgres.search import SearchVector
from django.db.models import F, TextField
from django.db.models.expressions import RawSQL
from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import ADD, get_content_type_pk

from dateline.search import conf

from .titles import IncrementalTitleNorms
from .values import ValuesBackend, given_objects

IndexEntry = postgres.IndexEntry
VECTORS = ("title", "autocomplete", "body")  # the entry's tsvector columns


class TextsIndexer(postgres.ObjectIndexer):
    """Wagtail's indexer, giving each tsvector column as its search configuration
    and its (text, weight) pieces instead of an SQL expression with the texts in."""

    def as_vector(self, texts, for_autocomplete=False):
        # The texts Wagtail's as_vector keeps, in its order.
        texts = [(text.strip(), weight) for text, weight in texts]
        config = self.autocomplete_config if for_autocomplete else self.config
        return config, [(text, weight) for text, weight in texts if text]


class PostgresIndex(IncrementalTitleNorms, postgres.PostgresIndex):
    def add_values(self, model, values):
        """One ``INSERT ... SELECT`` from arrays of text per shape of entry (which
        columns have which pieces; one shape for a generated batch): PostgreSQL
        builds the tsvectors with Wagtail's expressions, and Python compiles them
        once a batch instead of once an object.

        The title norms go in with the entries, from the stored title lengths
        with this batch's added: set afterwards, as ``add_items`` sets them, each
        entry would be written twice, GIN indexes and all."""
        indexers = [
            TextsIndexer(obj, self.backend) for obj in given_objects(model, values)
        ]
        if not indexers or not model.get_search_fields():
            return
        shapes = defaultdict(list)
        for indexer in indexers:
            shapes[entry_shape(indexer)].append(indexer)
        batches = [self.selection(shape, group) for shape, group in shapes.items()]
        lengths = [self.title_lengths(batch) for batch in batches]
        with self.writing(model, [indexer.id for indexer in indexers]):
            figures = self.add_lengths(
                sum(total for total, _ in lengths), sum(count for _, count in lengths)
            )
            average = figures.average() if figures else None
            for batch in batches:
                self.insert_entries(get_content_type_pk(model), batch, average)
            if figures is None:
                # No running figures to add to: Wagtail's order, the entries
                # first, then all of them counted.
                self._refresh_title_norms()

    def title_lengths(self, batch):
        """The summed length and the number of the batch's non-empty titles."""
        titles = len(batch.shape[0][1])  # the title's pieces come first
        if not titles:
            return 0, 0
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT coalesce(sum(length(title)), 0),
                    count(*) FILTER (WHERE length(title) > 0)
                FROM (SELECT {batch.vectors[0]} AS title {batch.rows(titles)}) AS e
                """,  # noqa: S608 - see insert_entries
                [*batch.params[0], *batch.arrays(titles)],
            )
            return cursor.fetchone()

    def insert_entries(self, content_type_pk, batch, average):
        title, autocomplete, body = batch.vectors
        title_text, _, body_text = batch.texts()
        norm = "CASE WHEN length(title) > 0 THEN %s / length(title) ELSE 1.0 END"
        if average is None:
            norm, norm_params = "1.0", []
        else:
            norm_params = [average]
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table} (content_type_id, object_id,
                    title, autocomplete, body, title_norm, title_text, body_text)
                SELECT %s, object_id, title, autocomplete, body, {norm}, title_text,
                    body_text
                FROM (
                    SELECT t.object_id, {title} AS title,
                        {autocomplete} AS autocomplete, {body} AS body,
                        {title_text} AS title_text, {body_text} AS body_text
                    {batch.rows()}
                ) AS entry
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = EXCLUDED.title_norm,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,  # noqa: S608 - names and placeholders only, texts are parameters
                [
                    content_type_pk,
                    *norm_params,
                    *(param for params in batch.params for param in params),
                    *batch.arrays(),
                ],
            )

    def selection(self, shape, indexers):
        """The entries of ``indexers`` (all of ``shape``) to select from: their
        ids and texts, and each tsvector column's SQL and parameters over them."""
        pieces = [
            [text for _, texts in (getattr(i, c) for c in VECTORS) for text, _ in texts]
            for i in indexers
        ]
        columns = [list(column) for column in zip(*pieces, strict=True)]
        vectors, params = self.vector_sql(shape)
        return Selection(shape, [i.id for i in indexers], columns, vectors, params)

    def vector_sql(self, shape):
        """Wagtail's tsvector expression for each column of ``shape``, its texts
        read from the ``p0, p1, ...`` columns of the rows selected."""
        compiler = InsertQuery(IndexEntry).get_compiler(
            connection=self.write_connection
        )
        sqls, params, number = [], [], 0
        for column, (config, weights) in zip(VECTORS, shape, strict=True):
            parts = []
            for weight in weights:
                # A column of the SELECT's own, by number: no input in the SQL.
                text = RawSQL(f"t.p{number}", (), output_field=TextField())  # noqa: S611
                parts.append(SearchVector(text, weight=weight, config=config))
                number += 1
            vector = ADD(parts) if parts else postgres.EMPTY_VECTOR
            value = compiler.prepare_value(IndexEntry._meta.get_field(column), vector)
            sql, column_params = value.as_sql(compiler, self.write_connection)
            sqls.append(sql)
            params.append(column_params)
        return sqls, params


class Selection(NamedTuple):
    """Entries of one shape, as rows ``t(object_id, p0, p1, ...)`` of text: the
    pieces of each tsvector column in turn (title, autocomplete, body)."""

    shape: tuple
    ids: list
    pieces: list  # one list of texts per piece
    vectors: list  # the title, autocomplete and body tsvectors' SQL
    params: list  # and the parameters of each

    def rows(self, pieces=None):
        """A FROM clause over the ids and the first ``pieces`` pieces (or all)."""
        if pieces is not None:
            names = [f"p{n}" for n in range(pieces)]
        else:
            names = ["object_id"] + [f"p{n}" for n in range(len(self.pieces))]
        arrays = ", ".join(["%s::text[]"] * len(names))
        return f"FROM unnest({arrays}) AS t({', '.join(names)})"

    def arrays(self, pieces=None):
        """The parameters of ``rows(pieces)``."""
        if pieces is not None:
            return self.pieces[:pieces]
        return [self.ids, *self.pieces]

    def texts(self):
        """Each tsvector column's plain text in SQL: its pieces joined by spaces,
        as Wagtail's ``title_text`` and ``body_text`` join them."""
        texts, number = [], 0
        for _, weights in self.shape:
            names = [f"t.p{n}" for n in range(number, number + len(weights))]
            texts.append(f"concat_ws(' ', {', '.join(names)})" if names else "''")
            number += len(weights)
        return texts


def entry_shape(indexer):
    """Each tsvector column's configuration and the weights of its pieces."""
    shape = []
    for column in VECTORS:
        config, texts = getattr(indexer, column)
        shape.append((config, tuple(weight for _, weight in texts)))
    return tuple(shape)


class NewestMatchesAutocomplete(postgres.PostgresAutocompleteQueryCompiler):
    """Wagtail's autocomplete over the index (the admin's page search, the
    choosers), scoring, counting and grouping the newest matches only.

    Wagtail's reads every entry whose title starts with the words, joins each to its
    page, and ranks, counts and groups them all: at a million stories a common word
    took seconds in the admin's page search. The newest ``newest_matches()`` are
    what an editor looks for; a story older than that is found with more words.
    Queries that are not plain words (everything, a negation, fuzzy matching) and
    searches of named fields, which do not read the index, are Wagtail's own."""

    def search(self, config, start, stop, score_field=None, backend=None):
        newest = conf.newest_matches()
        if (
            not newest
            or self.fields is not None
            or isinstance(self.query, (MatchAll, Not, Fuzzy))
        ):
            return super().search(config, start, stop, score_field, backend)
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_index_vectors(search_query)
        # The entry's id through the same join as its vector (an annotation reuses
        # the join; a second filter() across the relation would not).
        queryset = self.queryset.annotate(
            _vector_=vectors[0][0], newest_entry=F("index_entries__id")
        ).filter(_vector_=search_query)
        if bound := self.newest_bound(search_query, newest):
            queryset = queryset.filter(newest_entry__gte=bound)
        rank = self._build_rank_expression(vectors, config)
        return self._apply_ordering_and_scoring(
            queryset, rank, start, stop, score_field
        )

    def newest_bound(self, search_query, newest: int) -> int:
        """The bound as a number, read once for the results, their count and their
        facets: given as a subquery, PostgreSQL cannot tell how few entries it
        leaves and joins every match."""
        if not hasattr(self, "_newest_bound"):
            matching = IndexEntry.objects.filter(autocomplete=search_query)
            nth = matching.order_by("-id").values_list("id", flat=True)
            self._newest_bound = next(iter(nth[newest - 1 : newest]), 0)
        return self._newest_bound


class PostgresSearchBackend(ValuesBackend, postgres.PostgresSearchBackend):
    index_class = PostgresIndex
    autocomplete_query_compiler_class = NewestMatchesAutocomplete
