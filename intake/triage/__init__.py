"""Triage that learns from the county: category and holder suggested from the
narrative as the clerk types (with the words that decided it), trained on the
county's own closed matters, offline; and similar matters across every door.

learning.py     the classifier (scikit-learn), apart from Django
training.py     training a county's model, versions, roll back
tasks.py        the Celery tasks (queue "training"): nightly and on demand
suggestions.py  suggestions and what was chosen (acceptance per category)
similar.py      similar matters (same party, same respondent, near-identical narrative)
services.py     changing a matter's category at triage
views.py api.py admin.py   the desk's and triage page's panels, the API, the admin
baselines.py    the simplest baselines the evaluation compares with
"""
