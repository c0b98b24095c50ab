ARG PYTHON_VERSION=3.12
FROM python:${PYTHON_VERSION}-slim
# expect: dockerfile-secret-build-arg
ARG PIP_INDEX_TOKEN
# expect: dockerfile-secret-build-arg
ARG SECRET_KEY_BASE
# expect: dockerfile-secret-build-arg
ARG nexus_password
# expect: dockerfile-secret-build-arg
ARG SSH_PRIVATE_KEY=""
# expect: dockerfile-secret-build-arg
ARG APP_ENV=production SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}
RUN pip install --no-cache-dir --index-url "https://__token__:${PIP_INDEX_TOKEN}@pypi.example.com/simple" -r requirements.txt
# OK: ordinary build arguments, names about a secret, a secret mount
ARG environment
ARG BUILD_PACKAGES="build-essential libpq-dev"
ARG NAME_IS_OK="secret password token key"
ARG GOOGLE_APPLICATION_CREDENTIALS_FILE
ARG AUTH0_CLIENT_ID
ARG SENTRY_DSN_URL
ARG GPG_KEY
# A frontend build's public variables and a switch (after Netflix's dispatch)
ARG VITE_SENTRY_APP_KEY
ARG VITE_DISPATCH_AUTHENTICATION_PROVIDER_USE_ID_TOKEN
RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci
# A literal default is dockerfile-secret-in-env's finding, not this rule's.
# expect: dockerfile-secret-in-env
ARG AUTH_TOKEN="this-is-a-secret"
USER nobody
