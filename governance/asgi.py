import os

from django.core.asgi import get_asgi_application

from governance import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.development")
embedded.activate()
application = get_asgi_application()
