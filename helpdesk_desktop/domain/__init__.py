"""The help desk's data model and rules. Plain Python and SQLAlchemy; never Qt."""
