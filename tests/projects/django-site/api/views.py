from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def note(request, pk):
    return JsonResponse({"id": pk})
