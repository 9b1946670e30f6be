import os

from django.core.wsgi import get_wsgi_application

from governance import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.development")
embedded.activate()
application = get_wsgi_application()
