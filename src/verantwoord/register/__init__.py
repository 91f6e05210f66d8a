"""The algorithm register (algoritmeregister): algorithms, publication in standard 1.0, public pages, import/export."""
