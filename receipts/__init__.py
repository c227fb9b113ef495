"""Receipts and documents: document model, ESC/POS and PDF renderers, printer transports."""
