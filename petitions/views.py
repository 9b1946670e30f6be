from django.http import HttpResponse


def home(request):
    return HttpResponse("")


def document(request, document_id):
    return HttpResponse("")
