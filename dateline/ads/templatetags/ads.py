from django import template

from .. import conf
from ..backends import get_provider
from ..placements import ARTICLE_INLINE, PLACEMENTS

register = template.Library()


@register.inclusion_tag("ads/slot.html", takes_context=True)
def ad_slot(context, placement_name, page=None):
    """A labelled slot whose size is reserved before anything fills it."""
    placement = PLACEMENTS[placement_name]
    creative = get_provider().creative_for(placement, context.get("request"), page)
    return {"placement": placement, "creative": creative, "label": conf.ad_label()}


@register.inclusion_tag("ads/slot.html", takes_context=True)
def ad_slot_after_paragraph(context, paragraph_number, page=None):
    """The in-story slot, when ``paragraph_number`` is the configured paragraph."""
    if not paragraph_number or paragraph_number != conf.ad_after_paragraph():
        return {"placement": None}
    return ad_slot(context, ARTICLE_INLINE.name, page)
