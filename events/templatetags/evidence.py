"""`{% article_evidence article %}`: the evidence panel of an article's admin page
(events.evidence), included by templates/admin/sources/article/change_form.html."""

from django import template

register = template.Library()


@register.inclusion_tag("admin/sources/article/_evidence.html", takes_context=True)
def article_evidence(context, article):
    from events.evidence import panel_context

    return {
        **panel_context(article, context["request"].user),
        "csrf_token": context.get("csrf_token"),
    }
