"""Sync with the upstream: the outbox pushed exactly once, account and bill changes pulled."""
