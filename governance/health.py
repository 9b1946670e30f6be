"""Health of the process and what it depends on, for load balancers and docker."""
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """For load balancers and docker health checks: database and Redis answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("healthz", 1, 10)
    return JsonResponse({"database": "ok", "redis": "ok" if cache.get("healthz") == 1 else "error"})
