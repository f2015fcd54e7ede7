"""Stage 3: spaCy components that annotate an article's text.

``load_nlp()`` loads the model once per process and adds our components
(``newsgraph_entities_v1``); every ``Doc._`` extension is declared in
``extensions.py``.
"""

from .nlp import DEFAULT_MODELS, load_nlp, model_info

__all__ = ["DEFAULT_MODELS", "load_nlp", "model_info"]
