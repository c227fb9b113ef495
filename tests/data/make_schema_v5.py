"""Writes tests/data/schema_v5.db: the v4 hall upgraded to schema 5 (revision 0005), whose search
index holds address trigrams. Schema 5 adds no table or column, so no rows are added.

Kept for provenance; do not regenerate once a later schema exists.
Run: python tests/data/make_schema_v5.py
"""

from kept import write_kept


def add_rows(conn) -> None:
    pass


def main() -> None:
    write_kept(5, "0005", add_rows)


if __name__ == "__main__":
    main()
