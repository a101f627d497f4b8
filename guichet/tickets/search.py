"""Text filter on tickets. A plain substring match for now; the full-text index replaces it."""

from django.db.models import Q, QuerySet


def text_filter(queryset: QuerySet, q: str) -> QuerySet:
    condition = Q(title__icontains=q) | Q(description__icontains=q)
    if q.lstrip("#").isdigit():
        condition |= Q(pk=int(q.lstrip("#")))
    return queryset.filter(condition)
