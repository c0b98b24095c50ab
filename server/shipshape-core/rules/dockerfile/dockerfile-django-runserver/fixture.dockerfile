# OK: a development stage may run the development server
FROM python:3.12-slim AS dev
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]

FROM python:3.12-slim AS build
RUN pip install --no-cache-dir -r requirements.txt
# OK: a stage that is not deployed
CMD ["python", "manage.py", "runserver"]

FROM python:3.12-slim
USER nobody
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/')"
# expect: dockerfile-django-runserver
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
# expect: dockerfile-django-runserver, dockerfile-shell-form-cmd
CMD python manage.py migrate && python manage.py runserver 0.0.0.0:$PORT
# expect: dockerfile-django-runserver
CMD ["sh", "-c", "python manage.py migrate --noinput && exec python manage.py runserver_plus 0.0.0.0:8000"]
# expect: dockerfile-django-runserver
ENTRYPOINT ["django-admin", "runserver"]
# OK: production servers and other management commands
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "config.wsgi"]
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn config.wsgi"]
CMD ["python", "manage.py", "collectstatic", "--noinput"]
CMD ["echo", "runserverless"]
