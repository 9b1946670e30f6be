"""The API's JSON parser: control characters stripped from every string (see governance.text)."""
from rest_framework.parsers import JSONParser

from governance.text import clean_data


class CleanJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return clean_data(super().parse(stream, media_type, parser_context))
