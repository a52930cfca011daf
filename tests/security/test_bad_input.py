"""Bad input, generated: never a 500, never a half-saved record, always a message.

Hypothesis posts values to every add form of the back office and every form of the
chairs' workspace: dates that do not exist, amounts and counts out of range, text
with markup and control characters (NUL included), very long text.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from subgroups.models import Action, ActionPlan, Risk
from tests.admin_forms import form_data

FUZZ = {"forms": 0, "examples": 0, "server_errors": 0, "saved": 0, "refused": 0}

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
        ]
    ),
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
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ADMIN_MODELS = [
    m
    for m in admin.site._registry
    if m._meta.app_label in {"bscb", "subgroups", "meetings", "reviews", "training", "funding"}
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


@pytest.mark.parametrize("form", ["action_update", "action_complete", "action_edit", "risk_review"])
def test_every_workspace_form_survives_generated_input(chair_and_work, form):
    client, action, risk = chair_and_work
    target = risk if form.startswith("risk") else action
    url = reverse(f"workspace:{form}", args=[target.pk])
    FUZZ["forms"] += 1

    @FUZZ_SETTINGS
    @given(st.data())
    def example(data):
        base = form_data(client.get(url).content.decode())
        fields = sorted(k for k in base if not any(k.endswith(s) or k == s for s in SKIP_FIELDS))
        fields += [
            f
            for f in ("rag", "note", "evidence", "likelihood", "impact", "lead")
            if f not in fields and f in client.get(url).content.decode()
        ]
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
        elif form == "action_complete":
            # So that the next example can complete it again.
            Action.objects.filter(pk=action.pk).update(status="in_progress")

    example()
