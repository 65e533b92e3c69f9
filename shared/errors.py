"""Exception tree of Datastats.

- `PermanentError`: retrying cannot help (invalid message, unreadable batch file).
  A consumer sends the message straight to its dead-letter queue with the reason.
- `TransientError`: a timeout, throttling, a database that is down. The consumer
  raises, the message becomes visible again and is retried; after the queue's
  maxReceiveCount, SQS moves it to the dead-letter queue.
"""

from __future__ import annotations


class DatastatsError(Exception):
    """Base class of every error Datastats raises on purpose."""


class PermanentError(DatastatsError):
    """The input can never be processed; retrying would fail the same way."""


class TransientError(DatastatsError):
    """The input may succeed on a later try."""


class InvalidMessage(PermanentError):
    """A message body does not match any known contract."""


class BatchUnreadable(PermanentError):
    """A batch file is missing, truncated or contains invalid records."""


class ConfigurationError(DatastatsError):
    """A setting is missing or invalid."""
