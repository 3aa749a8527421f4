from django import template

from ..highlight import article_text, excerpt, mark_terms

register = template.Library()


@register.simple_tag
def search_excerpt(article, terms):
    """About 30 words of the article around the first search term, terms marked."""
    return excerpt(article_text(article), terms)


@register.simple_tag
def search_title(article, terms):
    return mark_terms(article.title, terms)
