"""Searching the knowledge base: PostgreSQL full-text search with the
Indonesian configuration (so "mencetak" finds "cetak"), plus a plain substring
match on titles for partial words typed while the person is still typing."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import F, Q, QuerySet

from support.models import KnowledgeArticle

CONFIG = "indonesian"
MAX_RESULTS = 10


def article_search(query: str, *, published_only: bool = True) -> QuerySet[KnowledgeArticle]:
    articles = KnowledgeArticle.objects.all()
    if published_only:
        articles = articles.filter(is_published=True)
    query = query.strip()[:200]
    if not query:
        return articles.order_by("title")
    vector = SearchVector("title", weight="A", config=CONFIG) + SearchVector(
        "body", weight="B", config=CONFIG
    )
    search = SearchQuery(query, config=CONFIG, search_type="websearch")
    return (
        articles.annotate(rank=SearchRank(vector, search), document=vector)
        .filter(Q(document=search) | Q(title__icontains=query))
        .order_by(F("rank").desc(), "title")
    )


def article_published(slug: str) -> KnowledgeArticle | None:
    return KnowledgeArticle.objects.filter(slug=slug, is_published=True).first()
