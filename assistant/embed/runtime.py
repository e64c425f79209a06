"""Process-wide state of the libraries the assistant runs on, changed in this one place."""

from __future__ import annotations

import os
import sys


def configure_libraries(threads: int | None) -> None:
    """Set the state these libraries keep for the whole process (every assistant in it shares it):

    - `TOKENIZERS_PARALLELISM=false` (unless set): the tokenizers library's own threads fight the
      model's on a small machine and warn after a fork;
    - faiss's OpenMP threads, and PyTorch's intra-op threads once PyTorch is loaded, to `threads`
      (None or 0 keeps the libraries' defaults; see `Settings.threads` for why one is the default);
    - transformers' log level and progress bars, once it is loaded: weight-loading notices are
      noise in an answer.

    Call it when an assistant is made and again after loading PyTorch (`load_sentence_transformer`
    does); it imports neither PyTorch nor transformers itself.
    """
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if threads:
        import faiss

        faiss.omp_set_num_threads(threads)
        if "torch" in sys.modules:
            sys.modules["torch"].set_num_threads(threads)
    if "transformers" in sys.modules:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
        transformers_logging.disable_progress_bar()
