"""The help desk's operations. Plain Python: one transaction each, permissions checked inside."""
