"""Extraction on a Dask cluster: batches of articles out, records back as they finish."""
from __future__ import annotations

import gc
import hashlib
import logging
import math
import os
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.errors import ExtractionError
from extract.pipeline import Pipeline, load_pipeline, models_loaded
from extract.records import DocumentRecord
from graph._gc import collector_paused
from sources.records import Article

__all__ = [
    "ClusterUnavailableError",
    "Failure",
    "WorkerMismatchError",
    "batches",
    "extract_batch",
    "extract_distributed",
    "gazetteer_files",
    "pipeline_loads",
    "share_pipeline",
    "close_client",
    "start_client",
    "worker_pipeline",
]

log = logging.getLogger("diplograph.graph")

#: Gazetteer files as sent to workers: (file name, content), in the order given.
GazetteerFiles = tuple[tuple[str, bytes], ...]

_lock = threading.Lock()
_pipelines: dict[tuple[str, str], Pipeline] = {}


class ClusterUnavailableError(ImportError):
    """Dask's ``distributed`` is not installed (``pip install 'diplograph[cluster]'``)."""


class WorkerMismatchError(RuntimeError):
    """A worker's pipeline differs from the client's: another model, gazetteer or diplograph."""


@dataclass(frozen=True)
class Failure:
    """A document a worker could not extract, as plain data.

    :class:`~extract.errors.ExtractionError` does not survive pickling (its ``__init__`` takes
    two arguments, its ``args`` hold one), so failures cross the network as this and become
    errors again on the client.

    Examples
    --------
    >>> import pickle
    >>> error = pickle.loads(pickle.dumps(Failure("d1", "boom"))).error()
    >>> type(error).__name__, error.doc_id, error.reason
    ('ExtractionError', 'd1', 'boom')
    """

    doc_id: str
    reason: str

    def error(self) -> ExtractionError:
        """The error this failure stands for."""
        return ExtractionError(self.doc_id, self.reason)


def batches(articles: Sequence[Article], size: int, *, workers: int = 0) -> list[list[Article]]:
    """``articles`` cut into consecutive lists of at most ``size``.

    With ``workers``, the lists shrink towards the end, so that workers taking them in order
    finish together: none holds more than the articles left divided by twice ``workers``, nor
    fewer than an eighth of ``size``. With lists of ``size`` to the end, one worker of two
    waited for the other's last list, half a list on average (0.64 s once, for 1,000 documents).

    Examples
    --------
    >>> [[a.id for a in b] for b in batches([Article(str(i), "x") for i in range(5)], 2)]
    [['0', '1'], ['2', '3'], ['4']]
    >>> [len(b) for b in batches([Article(str(i), "x") for i in range(200)], 32, workers=2)]
    [32, 32, 32, 26, 20, 15, 11, 8, 6, 5, 4, 4, 4, 1]
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size!r}")
    if workers < 1:
        return [list(articles[i : i + size]) for i in range(0, len(articles), size)]
    least = max(1, size // 8)
    out, i = [], 0
    while i < len(articles):
        n = min(size, max(least, math.ceil((len(articles) - i) / (2 * workers))))
        out.append(list(articles[i : i + n]))
        i += n
    return out


def worker_pipeline(model: str, gazetteers: GazetteerFiles = ()) -> Pipeline:
    """The pipeline of ``model`` and ``gazetteers``, loaded once per process and then reused.

    The gazetteers travel as file contents (a worker on another host does not see the client's
    files); they are written to a temporary folder for :func:`extract.pipeline.load_pipeline`,
    removed once it has read them.

    Examples
    --------
    >>> worker_pipeline("blank") is worker_pipeline("blank")
    True
    """
    key = _key(model, gazetteers)
    with _lock:
        if key not in _pipelines:
            with tempfile.TemporaryDirectory(prefix="diplograph-gazetteers-") as folder:
                paths = []
                for i, (name, data) in enumerate(gazetteers):
                    path = Path(folder) / f"{i:03d}_{Path(name).name}"
                    path.write_bytes(data)
                    paths.append(path)
                _pipelines[key] = load_pipeline(model, gazetteers=paths)  # reads the files now
            _pipelines[key].nlp  # noqa: B018 - the model, loaded now rather than on the first batch
        _freeze_once_forked()
        return _pipelines[key]


#: The process that shared its pipeline with the workers it forks (:func:`share_pipeline`),
#: and the one forked worker that froze what it inherited (:func:`_freeze_once_forked`).
_shared_by: int | None = None
_frozen_in: int | None = None


def _freeze_once_forked() -> None:
    """In a worker forked from the process that shared its pipeline: freeze (:func:`gc.freeze`)
    what it inherited, once.

    The model, spaCy and the rest live as long as the worker, and each full collection
    traversed them all again: 0.12-0.16 s in each of two workers on 1,000 documents, one of
    them just after the first batch, and writing to every object's header copies the pages
    the fork shares. What the extraction makes is collected as before. The process that
    shared the pipeline (a notebook, say) is left as it is.
    """
    global _frozen_in
    pid = os.getpid()
    if _shared_by is not None and pid != _shared_by and _frozen_in != pid:
        gc.freeze()
        _frozen_in = pid


def _key(model: str, gazetteers: GazetteerFiles) -> tuple[str, str]:
    return model, hashlib.sha256(repr(gazetteers).encode("utf-8")).hexdigest()


def gazetteer_files(gazetteers: Sequence[str | Path]) -> GazetteerFiles:
    """The gazetteer files as workers get them: (file name, content), in the order given."""
    return tuple((Path(g).name, Path(g).read_bytes()) for g in gazetteers)


def share_pipeline(pipeline: Pipeline, gazetteers: GazetteerFiles) -> None:
    """Make ``pipeline`` the one :func:`worker_pipeline` returns for its model and gazetteers.

    Worker processes forked after this call find it loaded and never load it themselves (its
    model is loaded now if it was not).
    """
    global _shared_by
    pipeline.nlp  # noqa: B018
    with _lock:
        _pipelines[_key(pipeline.model, gazetteers)] = pipeline
        _shared_by = os.getpid()


def pipeline_loads() -> int:
    """How many pipelines' models this process has loaded (``client.run(pipeline_loads)`` asks
    workers).

    A worker forked from the client with its pipeline (:func:`start_client`) has loaded none.

    Examples
    --------
    >>> before = pipeline_loads()
    >>> extra = (("doctest.jsonl", b'{"label": "ORG", "pattern": "Doctest Forum", "id": "organization:doctest"}'),)
    >>> _ = worker_pipeline("blank", extra), worker_pipeline("blank", extra)
    >>> pipeline_loads() - before
    1
    """
    return models_loaded()


def extract_batch(
    articles: list[Article], model: str, gazetteers: GazetteerFiles, version: str
) -> list[DocumentRecord | Failure]:
    """Extract a batch on a worker: one record (or :class:`Failure`) per article, in order.

    Raises
    ------
    WorkerMismatchError
        If this process's pipeline is not ``version`` (the client's): a record made by another
        model or diplograph would make a graph that differs from a single-process build.
    """
    from extract.document import extract_articles
    from graph.store import extractor_version

    pipeline = worker_pipeline(model, gazetteers)
    here = extractor_version(pipeline)
    if here != version:
        raise WorkerMismatchError(
            f"worker pipeline {here!r} differs from the client's {version!r}: install the same "
            "diplograph, spaCy and model versions on every worker"
        )
    return [
        Failure(item.doc_id, item.reason) if isinstance(item, ExtractionError) else item
        for item in extract_articles(pipeline, articles)
    ]


def start_client(
    scheduler: str | None, workers: int, *, pipeline: Pipeline | None = None, gazetteers: GazetteerFiles = ()
) -> tuple[Any, Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a new local cluster of ``workers``.

    Returns ``(client, cluster)``; ``cluster`` is None for a scheduler's, and the caller closes
    both (a local cluster's workers are processes of their own).

    Given the client's ``pipeline`` (and the gazetteer files it was loaded with), a local
    cluster on Linux forks its workers from this process (Dask's
    ``distributed.worker.multiprocessing-method`` ``fork``) after sharing the pipeline
    (:func:`share_pipeline`): the workers start with the model in memory instead of importing
    spaCy and loading it again, which took each worker of a 1,000-document build about 3 s of
    its start. Elsewhere, without ``pipeline``, or when Dask is configured with another method
    than its default (``DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD=forkserver``, say, for a
    process whose other threads must not be forked), Dask's method starts them.

    Raises
    ------
    ClusterUnavailableError
        If ``distributed`` is not installed.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterUnavailableError(
            "Dask extraction (--scheduler, --workers) needs the 'cluster' extra: "
            "pip install 'diplograph[cluster]'"
        ) from exc
    if scheduler is not None:
        log.info("connecting to the Dask scheduler at %s", scheduler)
        return Client(scheduler), None
    import dask

    method = dask.config.get("distributed.worker.multiprocessing-method")
    if pipeline is not None and sys.platform == "linux" and method == "spawn":  # Dask's default
        share_pipeline(pipeline, gazetteers)
        method = "fork"
    log.info("starting a local Dask cluster of %d worker processes (%s)", workers, method)
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True,
            dashboard_address="127.0.0.1:0", silence_logs=logging.WARNING,
        )
    return Client(cluster), cluster


def extract_distributed(
    articles: Sequence[Article],
    pipeline: Pipeline,
    *,
    gazetteers: Sequence[str | Path] = (),
    scheduler: str | None = None,
    workers: int = 2,
    batch_size: int = 32,
    client: Any = None,
) -> Iterator[DocumentRecord | ExtractionError]:
    """Extract ``articles`` on Dask, yielding each batch's records as soon as it is done.

    Batches go out with ``client.map`` and come back through ``as_completed``, so the caller
    stores each batch when it arrives, not in submission order; it is up to the caller to order
    the records (:func:`graph.build.build` uses the order the articles were read). Each worker
    loads the pipeline once (:func:`worker_pipeline`) and checks it is the client's.

    Parameters
    ----------
    articles : sequence of Article
        What to extract.
    pipeline : Pipeline
        The client's pipeline: its model name and version are what the workers must load.
    gazetteers : paths
        The extra gazetteer files the client's pipeline was loaded with (sent by content).
    scheduler : str, optional
        A running scheduler's address (``tcp://host:8786``); otherwise a local cluster of
        ``workers`` processes is started for the call and closed after it.
    workers : int
        Size of the local cluster (ignored with ``scheduler``).
    batch_size : int
        The most articles in one task; smaller when there are few articles, so that every
        worker gets some (about four batches per worker), and towards the end, so that the
        workers finish together (:func:`batches`).
    client : distributed.Client, optional
        A client already connected (:func:`start_client`), which the caller closes; by default
        one is made from ``scheduler`` and ``workers`` for the call and closed after it.

    Raises
    ------
    ClusterUnavailableError
        If ``distributed`` is not installed.
    WorkerMismatchError
        If a worker's pipeline is not the client's.
    """
    from graph.store import extractor_version

    if not articles:
        return
    files = gazetteer_files(gazetteers)
    version = extractor_version(pipeline)
    own = client is None
    if own:
        client, cluster = start_client(scheduler, workers, pipeline=pipeline, gazetteers=files)
    try:
        from distributed import as_completed

        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        size = max(1, min(batch_size, math.ceil(len(articles) / (4 * n_workers))))
        futures = client.map(
            extract_batch, batches(articles, size, workers=n_workers), model=pipeline.model, gazetteers=files,
            version=version, pure=False,
        )
        # spaCy runs in the workers: here the records only arrive. Paused once the cluster has
        # started: loading the model (srsly's msgpack reader) switches the collector back on
        with collector_paused():
            for future in as_completed(futures):
                for item in future.result():
                    yield item.error() if isinstance(item, Failure) else item
                future.release()
    finally:
        if own:
            close_client(client, cluster)


def close_client(client: Any, cluster: Any) -> None:
    """Close what :func:`start_client` opened."""
    client.close()
    if cluster is not None:
        cluster.close()
