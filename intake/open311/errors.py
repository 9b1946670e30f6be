class Open311Error(Exception):
    """An answer in the spec's error format: one HTTP status, one or more descriptions.

    The spec asks for 404 for what does not exist, 403 for a missing or wrong
    api_key and 400 for anything else the server cannot do as asked."""

    def __init__(self, status, *descriptions):
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = [str(d) for d in descriptions]
