import json

from django.db.models import CharField, FloatField, Func, Value
from django.db.models.functions import Cast, Concat
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from dateline.search import conf

from .titles import IncrementalTitleNorms
from .values import ValuesBackend, given_objects


class SQLiteIndex(IncrementalTitleNorms, sqlite.SQLiteIndex):
    def add_values(self, model, values):
        # Wagtail's writer already stores plain text (FTS5 tokenises it through
        # the table's triggers): what it costs per object is reading the values.
        self.add_items(model, given_objects(model, values))


class NewestMatchesAutocomplete(sqlite.SQLiteAutocompleteQueryCompiler):
    """Wagtail's autocomplete over FTS5 (the admin's page search, the choosers),
    scoring the newest ``newest_matches()`` matches only, as on PostgreSQL
    (``postgres.NewestMatchesAutocomplete``).

    Wagtail's orders the matches by a score read through a subquery per matching
    page, each repeating the full-text match: with a word found in most of 100,000
    stories the admin's search did not answer within minutes. Here the newest
    matches are scored in one pass over the FTS5 table's rowid range, and the pages
    carry those scores in the query that reads them. Everything, negations and
    searches of named fields are Wagtail's own."""

    def search(self, config, start, stop, score_field=None):
        newest = conf.newest_matches()
        query = normalize(self.query)
        if not newest or self.fields is not None or isinstance(query, (MatchAll, Not)):
            return super().search(config, start, stop, score_field)
        matches, scores = self.newest_matches(query, config, newest)
        queryset = self.queryset.filter(pk__in=matches.values("index_entry__object_id"))
        if self.order_by_relevance and score_field is None:
            score_field = "_score"
        if score_field is not None:
            queryset = queryset.annotate(**{score_field: ScoreOf(scores)})
            if self.order_by_relevance:
                # bm25() is negative, the most relevant the most negative.
                queryset = queryset.order_by(score_field, "-pk")
        if not self.order_by_relevance and not queryset.query.order_by:
            queryset = queryset.order_by("-pk")  # steady pages, as Wagtail's
        return queryset[start:stop]

    def newest_matches(self, query, config, newest: int):
        """The newest matches of the model's types (FTS rows) and Wagtail's score
        of each, by object id; read once for the results, their count and facets."""
        if not hasattr(self, "_newest"):
            match = MatchExpression(
                self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
            )
            matching = sqlite.SQLiteFTSIndexEntry.objects.filter(match)
            nth = matching.order_by("-index_entry_id").values_list(
                "index_entry_id", flat=True
            )
            matches = matching.filter(
                index_entry_id__gte=next(iter(nth[newest - 1 : newest]), 0),
                index_entry__content_type__in=get_descendants_content_types_pks(
                    self.queryset.model
                ),
            )
            rank = self._build_rank_expression(self.get_search_vectors(), config)
            scores = matches.annotate(score=rank).values_list(
                "index_entry__object_id", "score"
            )
            self._newest = matches, dict(scores)
        return self._newest


class ScoreOf(Func):
    """The score of the row's page, looked up in a JSON object of scores by id: one
    parameter, where a CASE with a branch per match took longer to build than the
    search took to run."""

    function = "json_extract"
    output_field = FloatField()

    def __init__(self, scores: dict[str, float]):
        path = Concat(Value('$."'), Cast("pk", CharField()), Value('"'))
        super().__init__(Value(json.dumps(scores)), path)


class SQLiteSearchBackend(ValuesBackend, sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
    autocomplete_query_compiler_class = NewestMatchesAutocomplete
