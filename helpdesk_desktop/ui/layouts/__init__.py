"""The three layouts of one ticket list: table, split (list + ticket) and board."""
