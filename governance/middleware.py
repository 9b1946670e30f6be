from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the person chose another language (the footer's switch).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    a county center's screens are Chinese whatever the machine's browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class CleanInputMiddleware:
    """Strip control characters from every query-string and form value, at every
    door (the desk, the public form, Open311, the pages' notes, the admin), so no
    view has to remember to. Password fields are left as typed: they are compared,
    never shown, and changing them would lock their owner out. JSON bodies are
    cleaned by the API's parser (``governance.api.parsers``). See governance.text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST":
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


def _cleaned(query):
    from governance.text import CONTROL_CHARACTERS, strip_control_characters

    dirty = [key for key, values in query.lists()
             if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)]
    if not dirty:
        return query  # the usual case: nothing copied
    cleaned = query.copy()
    for key in dirty:
        values = cleaned.pop(key)
        if "password" not in key:
            values = [strip_control_characters(value) for value in values]
        cleaned.setlist(strip_control_characters(key), values)
    cleaned._mutable = False
    return cleaned
