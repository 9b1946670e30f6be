"""The home page: what each person has to do today."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from governance.dashboards import home as dashboard


@login_required
def home(request):
    return render(request, "governance/home.html", {"summary": dashboard.home_summary(user=request.user)})
