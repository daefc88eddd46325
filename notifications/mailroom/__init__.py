"""The organisers' outbox page: counts, the queue, failures, held batches, histories."""
