"""The environment a fresh process would have: the machine's, without what the tests set."""

import os

# Set by pytest-env for the test run (pyproject.toml); a settings check must not inherit them.
TEST_SETTINGS = {
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "STATIC_MANIFEST",
    "SECURE_SSL_REDIRECT",
    "OTP_REQUIRED_FOR_STAFF",
    "OTP_REQUIRED_FOR_CHAIRS",
    "SECURE_COOKIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "TASK_BACKEND",
}


def fresh_environment(**settings) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in TEST_SETTINGS}
    env.update(settings)
    return env
