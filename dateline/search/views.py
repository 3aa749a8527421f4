from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from . import conf
from .forms import SearchForm
from .queries import search_articles

TEMPLATE = "search/search_page.html"


def search(request):
    """The reader's search page: just the form until there is a query; a form error
    (a date that is no date, a query far too long) is a 400 with the form."""
    form = SearchForm(request.GET or None)
    if not form.is_bound:
        return TemplateResponse(request, TEMPLATE, {"form": form})
    if not form.is_valid():
        return TemplateResponse(request, TEMPLATE, {"form": form}, status=400)
    if not form.cleaned_data["q"]:
        return TemplateResponse(request, TEMPLATE, {"form": form})
    results = search_articles(**form.search_arguments())
    page = Paginator(results, conf.page_size()).get_page(request.GET.get("page"))
    context = {"form": form, "results": results, "results_page": page}
    return TemplateResponse(request, TEMPLATE, context)


# Every parameter goes through SearchForm, which refuses a NUL with a message at the
# field (site/unstorable.py leaves such a view's query string to it).
search.dateline_checks_own_input = True
