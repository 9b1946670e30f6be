"""The grid pages: the worker's phone pages (worker), an event and its steps
(events), and the views for centers, leaders and admins (oversight)."""
