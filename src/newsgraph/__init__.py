"""newsgraph: who said what, who did what to whom, when and where, from news articles.

>>> import newsgraph
>>> article = newsgraph.analyze("page.html", published="2020-08-17")   # doctest: +SKIP
>>> [(e.name, e.type) for e in article.entities][:3]                     # doctest: +SKIP
"""

from .errors import NewsgraphError
from .models import Article, Caption, Entity, Failure, Mention, Page, RawDocument
from .pipeline import Pipeline, analyze
from .run import IngestReport, ingest, watch
from .store import Database

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Caption",
    "Database",
    "Entity",
    "Failure",
    "IngestReport",
    "Mention",
    "NewsgraphError",
    "Page",
    "Pipeline",
    "RawDocument",
    "analyze",
    "ingest",
    "watch",
]
