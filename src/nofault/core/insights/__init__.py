"""Learning across incidents: similar postmortems, recurring themes, metrics, charts, reports.

Pure functions over plain records (`records.py`): no Django, no terminal, no database.
"""
