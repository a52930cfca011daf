"""Bad input, generated: never a 500, never a half-saved record, always a message.

Hypothesis posts values to every add form of the back office (as the support team),
every form of the chairs' workspace (as a chair) and the sign-in form, and sends them
as every query parameter a public page reads: dates that do not exist, amounts and
counts out of range, text with markup and control characters (NUL included), very
long text. At least 100 examples each; run it on PostgreSQL too, where NUL differs.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subgroups.models import Action, ActionPlan, Risk
from tests.admin_forms import form_data

FUZZ = {
    "forms": 0,
    "examples": 0,
    "server_errors": 0,
    "saved": 0,
    "refused": 0,
    "parameters": 0,
    "requests": 0,
}

NASTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "nul\x00in the middle",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "-1",
            "0",
            "1e309",
            "99999999999999999999",
            "3.14159",
            "2019-02-30",
            "0001-01-01",
            "31/12/9999",
            "2018-13-01",
            "£1,234.567",
            "NaN",
            "' OR 1=1 --",
            "\u202eevil",
            "x" * 20000,
            "1\x00",
            "\x1b[31mred",
            "99999999999999999999999999999999",
        ]
    ),
    # Control characters above all: C0, DEL and C1.
    st.text(st.characters(max_codepoint=0xA0), max_size=20),
    st.integers(-(10**12), 10**12).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
SKIP_FIELDS = (
    "csrfmiddlewaretoken",
    "-TOTAL_FORMS",
    "-INITIAL_FORMS",
    "-MIN_NUM_FORMS",
    "-MAX_NUM_FORMS",
    "version",
)
FUZZ_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ADMIN_MODELS = [
    m
    for m in admin.site._registry
    if m._meta.app_label
    in {"bscb", "subgroups", "meetings", "reviews", "training", "funding", "reports"}
]


def post_fuzzed(client, url, model, data, base):
    """One example: a 302 must have saved one valid record, a 200 nothing, with a message."""
    before = model._default_manager.count()
    FUZZ["examples"] += 1
    try:
        response = client.post(url, data)
    except Exception:
        FUZZ["server_errors"] += 1
        raise
    if response.status_code >= 500:
        FUZZ["server_errors"] += 1
    after = model._default_manager.count()
    assert response.status_code in (200, 302, 403), response.status_code
    if response.status_code == 403:
        # Refused outright: adding a second record of a one-record model (the board).
        assert after == before, "a refused form saved something"
        FUZZ["refused"] += 1
        return
    if response.status_code == 302:
        FUZZ["saved"] += 1
        assert after == before + 1
        model._default_manager.order_by("-pk").first().full_clean()
    else:
        FUZZ["refused"] += 1
        assert after == before, "a refused form saved something"
        content = response.content.decode()
        assert "errornote" in content or "govuk-error-summary" in content or "errorlist" in content


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_every_admin_add_form_survives_generated_input(model, support_officer):
    client = Client()
    client.force_login(support_officer)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = client.get(url)
    if page.status_code == 403:
        pytest.skip(f"{model.__name__} has no add page")
    base = form_data(page.content.decode())
    fields = sorted(k for k in base if not any(k.endswith(s) or k == s for s in SKIP_FIELDS))
    FUZZ["forms"] += 1

    @FUZZ_SETTINGS
    @given(st.data())
    def example(data):
        chosen = (
            data.draw(
                st.lists(
                    st.sampled_from(fields), min_size=1, max_size=min(4, len(fields)), unique=True
                )
            )
            if fields
            else []
        )
        posted = dict(base)
        for name in chosen:
            posted[name] = data.draw(NASTY)
        post_fuzzed(client, url, model, posted, base)

    example()


@pytest.fixture
def chair_and_work(exploitation, django_user_model):
    chair = django_user_model.objects.create_user("cara")
    exploitation.chairs.add(chair)
    plan = ActionPlan.objects.create(group=exploitation, title="Work plan")
    action = Action.objects.create(plan=plan, description="Map hotspots")
    risk = Risk.objects.create(title="Exploitation", owner_group=exploitation)
    client = Client()
    client.force_login(chair)
    return client, action, risk


@pytest.mark.parametrize(
    "name",
    [
        "action_update",
        "action_complete",
        "action_edit",
        "risk_review",
        "risk_next_review",
        "action_reopen",
        "action_add",
        "risk_add",
    ],
)
def test_every_workspace_form_survives_generated_input(chair_and_work, name):
    client, action, risk = chair_and_work
    target = risk if name.startswith("risk") else action
    args = [target.pk]
    if name == "action_add":
        args = [action.plan_id]
    elif name == "risk_add":
        args = [risk.owner_group.slug]

    def reopenable():
        Action.objects.filter(pk=action.pk).update(status="complete", evidence="Done.")

    if name == "action_reopen":
        reopenable()
    url = reverse(f"workspace:{name}", args=args)
    FUZZ["forms"] += 1

    page = client.get(url).content.decode()
    form = {"base": form_data(page)}
    fields = sorted(
        k for k in form["base"] if not any(k.endswith(s) or k == s for s in SKIP_FIELDS)
    )
    fields += [
        f
        for f in ("rag", "note", "evidence", "likelihood", "impact", "lead", "reason", "title")
        if f not in fields and f in page
    ]

    @FUZZ_SETTINGS
    @given(st.data())
    def example(data):
        base = form["base"]
        posted = dict(base)
        for name in data.draw(
            st.lists(st.sampled_from(fields), min_size=1, max_size=len(fields), unique=True)
        ):
            posted[name] = data.draw(NASTY)
        before_versions = (
            Action.objects.get(pk=action.pk).version,
            risk.__class__.objects.get(pk=risk.pk).version,
        )
        FUZZ["examples"] += 1
        response = client.post(url, posted)
        assert response.status_code in (200, 302), response.status_code
        FUZZ["saved" if response.status_code == 302 else "refused"] += 1
        if response.status_code == 200:
            assert "govuk-error-summary" in response.content.decode()
            assert (
                Action.objects.get(pk=action.pk).version,
                risk.__class__.objects.get(pk=risk.pk).version,
            ) == before_versions
        else:
            # A save moves the record's version on: the next example starts from the new form.
            form["base"] = form_data(client.get(url).content.decode())
            if name == "action_complete":
                # So that the next example can complete it again.
                Action.objects.filter(pk=action.pk).update(status="in_progress")
            if name == "action_reopen":
                reopenable()

    example()


def test_the_sign_in_form_survives_generated_input(db, django_user_model):
    django_user_model.objects.create_user("cara", password="a long demo password")
    client = Client()
    url = reverse("login")
    FUZZ["forms"] += 1

    @FUZZ_SETTINGS
    @given(username=NASTY, password=NASTY)
    def example(username, password):
        FUZZ["examples"] += 1
        # The one sign-in page is a wizard: its password step (bscb.core.sign_in.SignInView).
        response = client.post(
            url,
            {
                "sign_in_view-current_step": "auth",
                "auth-username": username,
                "auth-password": password,
            },
        )
        # 429: django-axes locks a name after five failures, with a message.
        assert response.status_code in (200, 429), response.status_code
        assert "_auth_user_id" not in client.session
        FUZZ["refused"] += 1

    example()


# Every query parameter a public page reads (bscb/urls.py and the views it names):
# the search's q, the sitemap's page p, the sign-in pages' next, the report pages'
# preview (for staff only; ignored for others), and any parameter at all on a
# stored page (which sends the request on to the live view).
PUBLIC_PARAMETERS = [
    ("/search/", "q"),
    ("/sitemap.xml", "p"),
    ("/accounts/login/", "next"),
    ("/admin/login/", "next"),
    ("/2018-19/", "preview"),
    ("/2018-19/case-reviews/", "anything"),
    ("/2018-19/data/funding.csv", "anything"),
]


@pytest.fixture
def published_year(year):
    from bscb.reports.editions import period_publish

    period_publish(period=year, accept_missing=True)
    return year


@pytest.mark.parametrize(("path", "parameter"), PUBLIC_PARAMETERS, ids=lambda v: v)
def test_every_public_query_parameter_survives_generated_input(published_year, path, parameter):
    client = Client()
    FUZZ["parameters"] += 1

    @FUZZ_SETTINGS
    @given(value=NASTY)
    def example(value):
        FUZZ["requests"] += 1
        response = client.get(path, {parameter: value})
        if response.status_code >= 500:
            FUZZ["server_errors"] += 1
        # 400: control characters; 404: a sitemap page that does not exist; 302: the
        # admin's sign-in sends everyone to the one sign-in page.
        assert response.status_code in (200, 302, 400, 404), response.status_code

    example()
