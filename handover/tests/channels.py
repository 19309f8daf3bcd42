"""Channels for the tests: one that fails a given number of times per message before it delivers."""

from handover.channels import Channel


class FlakyChannel(Channel):
    key = "flaky"
    failures_per_key = 0
    attempts: dict = {}
    delivered_keys: list = []

    def deliver(self, message, idempotency_key):
        attempt = FlakyChannel.attempts.get(idempotency_key, 0) + 1
        FlakyChannel.attempts[idempotency_key] = attempt
        if attempt <= FlakyChannel.failures_per_key:
            raise ConnectionError("the receiver did not answer")
        FlakyChannel.delivered_keys.append(idempotency_key)
        return "ok"
