"""The sweeper does not wait behind a backlog of uploads: a lost worker's document is rescued
within STUCK_AFTER_S even while hundreds of files are queued (bench/hosts.py showed the sweep
waiting for the whole backlog), and periodic runs do not pile up while workers are busy."""

from __future__ import annotations

from rq import SimpleWorker
from rq.job import Job

from portal.documents.jobs import enqueue_extraction
from portal.mail.send import deliver_pending
from portal.maintenance import sweep
from portal.queues import EXTRACT, MAINTENANCE, queue
from portal.settings import load_settings
from portal.worker import enqueue_periodic


def test_the_sweep_runs_before_the_queued_extractions_and_only_once(env, redis_conn):
    settings = load_settings()
    extract = queue(settings, EXTRACT)
    backlog = [900 + n for n in range(3)]
    for document_id in backlog:                       # rows need not exist: the job says "missing"
        assert enqueue_extraction(settings, document_id)

    assert enqueue_periodic(settings, "sweep", sweep)
    assert not enqueue_periodic(settings, "sweep", sweep)     # the last one has not run yet
    sweep_id = f"{settings.queue_prefix}-periodic-sweep"
    assert extract.job_ids[0] == sweep_id and extract.job_ids.count(sweep_id) == 1

    # other periodic work stays behind extraction, in the maintenance queue
    assert enqueue_periodic(settings, "deliver-mail", deliver_pending)
    assert f"{settings.queue_prefix}-periodic-deliver-mail" in queue(settings, MAINTENANCE).job_ids

    # a real RQ worker (in this process) takes the sweep first
    SimpleWorker([extract], connection=redis_conn).work(burst=True)
    swept = Job.fetch(sweep_id, connection=redis_conn)
    extractions = [Job.fetch(f"{settings.queue_prefix}-extract-document-{d}", connection=redis_conn)
                   for d in backlog]
    assert swept.get_status() == "finished", swept.exc_info
    assert all(swept.ended_at <= job.started_at for job in extractions)
    assert [job.return_value() for job in extractions] == ["missing"] * 3

    # once it has run, the next interval's sweep is enqueued again
    assert enqueue_periodic(settings, "sweep", sweep)
