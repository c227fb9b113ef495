"""The pure money rules both sides of the protocol apply: the counter and the upstream import them.

Store-free and Qt-free: plain functions over plain values (integer fen, dates), so the upstream
computes penalties, allocations, refunds and takings exactly as a terminal does without loading
the terminal's ORM or its authentication.

- ``penalty``: late-payment penalty (违约金) by customer class, with the ￥1 minimum.
- ``quote``: what an account owes on a date, bill by bill (``quote_rows``).
- ``allocation``: how a payment is applied to the bills (penalty first, oldest bill first).
- ``tenders``: the means of payment (``TenderKind``), what a reversal pays back, net takings by tender.
"""
