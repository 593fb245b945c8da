"""graph.distributed: extraction on Dask gives the single-process graph, record for record."""

from __future__ import annotations

import gc
import logging
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from distributed import Client, LocalCluster

from extract.document import extract_articles
from graph.build import Build, build
from graph.cli import EXIT_FAILED, EXIT_OK, main
from graph.distributed import WorkerMismatchError, batches, extract_batch, pipeline_loads, worker_pipeline
from sources.records import Article
from sources.samples import sample_corpus

TEXTS = {
    "kazan": "KAZAN (Wire) \u2014 Iran joined the BRICS summit in Kazan. The Caspian Forum met.\n",
    "geneva": "GENEVA \u2013 The WHO and the United Nations met Qatari and Saudi envoys.\n",
    "sco": "Chinese and Iranian diplomats met at the Shanghai Cooperation Organisation.\n",
}


def assert_same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert nx.utils.graphs_equal(a, b)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """``main`` configures logging for the process; put it back after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    logging.captureWarnings(False)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[LocalCluster, Client]]:
    """Two worker processes of one thread each: the layout issue 5 asks the comparison on."""
    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address="127.0.0.1:0",
        silence_logs=logging.WARNING,
    ) as local, Client(local) as client:
        yield local, client


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_batches_keep_order_and_size() -> None:
    articles = [Article(f"d{i}", "x") for i in range(7)]
    cut = batches(articles, 3)
    assert [len(b) for b in cut] == [3, 3, 1]
    assert [a for b in cut for a in b] == articles
    with pytest.raises(ValueError, match="0"):
        batches(articles, 0)


@pytest.mark.parametrize("n", [1, 7, 100, 1000])
def test_batches_for_workers_shrink_towards_the_end(n: int) -> None:
    articles = [Article(f"d{i}", "x") for i in range(n)]
    cut = batches(articles, 32, workers=2)
    sizes = [len(b) for b in cut]
    assert [a for b in cut for a in b] == articles
    assert max(sizes) <= 32 and sizes == sorted(sizes, reverse=True)
    if n >= 100:  # whole batches first, then none larger than what is left over four
        assert sizes[0] == 32 if n == 1000 else sizes[0] == 25
        assert sizes[-2] == 4 and sizes[-1] <= 4  # an eighth of the batch size: the least but the last
        left = n
        for size in sizes:
            assert size <= max(4, -(-left // 4))
            left -= size


# the first test on the cluster: it also checks that each worker loaded the pipeline once
@pytest.mark.model
@pytest.mark.seeds
def test_dask_graph_equals_the_single_process_graph(
    cluster: tuple[LocalCluster, Client], shared_dir: Path, tmp_path: Path
) -> None:
    local, client = cluster
    inputs = [sample_corpus(), shared_dir / "seeds"]
    single = build(inputs, progress=False, store=False)
    out = tmp_path / "out"
    dask: Build = build(inputs, out=out, progress=False, html=False, scheduler=local.scheduler_address)
    assert dask.extracted == len(single.records) >= 22
    assert dask.records == single.records
    assert_same_graph(dask.graph, single.graph)
    loads = client.run(pipeline_loads)
    assert len(loads) == 2 and set(loads.values()) == {1}, loads
    # the client stored the records as they arrived: a single-process rebuild reuses them all
    again = build(inputs, out=out, progress=False, html=False)
    assert (again.extracted, again.reused) == (0, dask.extracted)
    assert_same_graph(again.graph, single.graph)


def test_gazetteers_travel_to_the_workers(
    cluster: tuple[LocalCluster, Client], corpus: Path, tmp_path: Path
) -> None:
    local, _ = cluster
    gazetteer = tmp_path / "extra.jsonl"
    gazetteer.write_text(
        '{"label": "ORG", "pattern": "Caspian Forum", "id": "organization:caspian-forum"}\n', encoding="utf-8"
    )
    kwargs = dict(model="blank", gazetteers=[gazetteer], progress=False, store=False)
    dask = build([corpus], scheduler=local.scheduler_address, **kwargs)  # type: ignore[arg-type]
    assert "organization:caspian-forum" in dask.graph
    assert_same_graph(dask.graph, build([corpus], **kwargs).graph)  # type: ignore[arg-type]


def test_a_worker_leaves_no_gazetteer_folder_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = b'{"label": "ORG", "pattern": "Caspian Forum", "id": "organization:caspian-forum"}\n'
    pipeline = worker_pipeline("blank", (("extra-for-the-folder-test.jsonl", data),))
    (record,) = extract_articles(pipeline, [Article("d", "The Caspian Forum met.")])
    assert "organization:caspian-forum" in {m.entity for m in record.mentions}
    assert list(tmp_path.iterdir()) == []


def test_a_worker_with_another_pipeline_is_refused(cluster: tuple[LocalCluster, Client]) -> None:
    _, client = cluster
    future = client.submit(extract_batch, [Article("d", "Iran met China.")], "blank", (), "other-version")
    with pytest.raises(WorkerMismatchError, match="other-version"):
        future.result()


def _install_flaky(doc_id: str | None) -> None:
    """On a worker: make ``doc_id`` fail to extract (None puts the real extraction back)."""
    import extract.document as document

    real = getattr(document, "_real_record_from_doc", document.record_from_doc)
    document._real_record_from_doc = real  # type: ignore[attr-defined]
    if doc_id is None:
        document.record_from_doc = real
        return

    def flaky(doc, article, pipeline):  # type: ignore[no-untyped-def]
        if article.id == doc_id:
            raise ValueError("boom on the worker")
        return real(doc, article, pipeline)

    document.record_from_doc = flaky


def test_a_document_failing_on_a_worker_is_reported_and_the_rest_built(
    cluster: tuple[LocalCluster, Client], corpus: Path, tmp_path: Path
) -> None:
    import cloudpickle

    local, client = cluster
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    client.run(_install_flaky, "geneva")
    try:
        result = build([corpus], out=tmp_path / "out", model="blank", progress=False, html=False,
                       scheduler=local.scheduler_address)
    finally:
        client.run(_install_flaky, None)
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert [(e.doc_id, e.reason) for e in result.failed] == [("geneva", "extraction failed: boom on the worker")]
    assert sorted(r.doc_id for r in result.records) == ["kazan", "sco"]
    # the failed document is not stored: the next build extracts it (here in this process)
    again = build([corpus], out=tmp_path / "out", model="blank", progress=False, html=False)
    assert (again.extracted, again.reused, again.failed) == (1, 2, [])


def test_cli_workers_starts_a_local_cluster(corpus: Path, tmp_path: Path) -> None:
    argv = ["-q", "build", str(corpus), "--model", "blank", "--no-html", "--no-store"]
    assert main([*argv, "--out", str(tmp_path / "one")]) == EXIT_OK
    assert main([*argv, "--out", str(tmp_path / "two"), "--workers", "2"]) == EXIT_OK
    for name in ("graph.json", "extractions.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_without_distributed_the_cli_says_what_to_install(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    code = main(["-q", "build", str(corpus), "--out", str(tmp_path / "o"), "--model", "blank", "--workers", "2"])
    assert code == EXIT_FAILED
    assert any("diplograph[cluster]" in r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)


def test_the_local_cluster_is_forked_with_the_pipeline_and_only_when_needed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.distributed as distributed

    methods: list[str] = []
    loads: list[dict[str, int]] = []
    frozen: list[dict[str, int]] = []
    frozen_here = gc.get_freeze_count()
    start, close = distributed.start_client, distributed.close_client

    def method() -> str:
        import dask

        return str(dask.config.get("distributed.worker.multiprocessing-method"))

    def starting(scheduler: str | None, workers: int, **kwargs: object) -> tuple[Client, LocalCluster]:
        client, local = start(scheduler, workers, **kwargs)  # type: ignore[arg-type]
        methods.append(method())  # in the client, as the cluster was being made (see below)
        return client, local

    def closing(client: Client, local: LocalCluster) -> None:
        loads.append(client.run(distributed.pipeline_loads))
        frozen.append(client.run(gc.get_freeze_count))
        close(client, local)

    monkeypatch.setattr(distributed, "start_client", starting)
    monkeypatch.setattr(distributed, "close_client", closing)
    out = tmp_path / "out"
    first = build([corpus], out=out, model="blank", progress=False, html=False, workers=2)
    single = build([corpus], model="blank", progress=False, store=False)
    assert first.extracted == 3 and first.records == single.records
    assert_same_graph(first.graph, single.graph)
    # forked with the client's pipeline on Linux: no worker loaded one of its own
    assert len(loads) == 1 and len(loads[0]) == 2
    assert set(loads[0].values()) == ({0} if sys.platform == "linux" else {1}), loads
    assert methods == [method()]  # the fork setting was for the cluster's start only
    # a forked worker froze what it inherited, the model with it; this process froze nothing
    assert len(frozen) == 1 and len(frozen[0]) == 2
    assert all((n > 10_000) is (sys.platform == "linux") for n in frozen[0].values()), frozen
    assert gc.get_freeze_count() == frozen_here
    # everything in the store: no cluster is started at all
    again = build([corpus], out=out, model="blank", progress=False, html=False, workers=2, force=True)
    assert (again.extracted, again.reused) == (0, 3) and len(loads) == 1



def _shared_pipelines() -> int:
    import graph.distributed

    return len(graph.distributed._pipelines)


@pytest.mark.parametrize(("method", "inherited"), [("spawn", sys.platform == "linux"), ("forkserver", False)])
def test_workers_are_forked_with_the_pipeline_only_under_dasks_default(method: str, inherited: bool) -> None:
    import cloudpickle
    import dask

    import graph.distributed as distributed
    from extract.pipeline import load_pipeline

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    try:
        with dask.config.set({"distributed.worker.multiprocessing-method": method}):
            client, local = distributed.start_client(None, 1, pipeline=load_pipeline("blank"), gazetteers=())
        try:
            shared = client.run(_shared_pipelines)
        finally:
            distributed.close_client(client, local)
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert len(shared) == 1 and (next(iter(shared.values())) > 0) is inherited, shared


def test_records_arrive_with_the_collector_paused(
    cluster: tuple[LocalCluster, Client]
) -> None:
    """Only the workers run spaCy: while the records arrive, this process's collector is off
    (each full collection traversed the model and the records, 0.13-0.3 s on 1,000 documents),
    and it is on again when they have all come."""
    from extract.pipeline import load_pipeline
    from graph.distributed import extract_distributed

    local, _ = cluster
    articles = [Article(f"d{i}", f"Iran met China on day {i}.") for i in range(6)]
    pipeline = load_pipeline("blank")
    assert gc.isenabled()
    during = []
    for record in extract_distributed(articles, pipeline, scheduler=local.scheduler_address, batch_size=2):
        during.append((record.doc_id, gc.isenabled()))
    assert sorted(during) == [(a.id, False) for a in articles]
    assert gc.isenabled()
