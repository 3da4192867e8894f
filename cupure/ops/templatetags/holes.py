"""``{% hole "buttons" %}``: where a reader's own part of a page goes (cupure.ops.pagecache.HOLES).

In a page's skeleton it leaves a marker, filled for each reader at each request; in a page rendered for
one reader, it is the include of that part's template."""

from django import template
from django.utils.safestring import mark_safe

from cupure.ops import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def hole(context, name: str):
    if context.get("skeleton"):
        return mark_safe(pagecache.marker(name))
    return mark_safe(context.template.engine.get_template(pagecache.HOLES[name]).render(context))
