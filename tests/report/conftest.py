"""Fixtures of the report tests: the queues whose dead-letter depths the report reads."""

from __future__ import annotations

import pytest

from shared.runtime import Dependencies
from shared.topology import TOPOLOGY


@pytest.fixture()
def queues(deps: Dependencies) -> Dependencies:
    """Create every queue and dead-letter queue of the topology in the moto SQS."""
    for queue in TOPOLOGY.queues:
        for name in (queue.name, queue.dlq_name):
            deps.bus.sqs.create_queue(QueueName=deps.bus.physical_name(name))
    return deps
