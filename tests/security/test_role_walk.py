"""Every back-office action, import, export and page, posted as each kind of person.

The walk is made from the registries (admin.site._registry, each ModelAdmin's actions and
get_urls(), the admin site's own URLs, the workspace's urlpatterns), so new admin code is
walked without editing this file. After each request, every row of every table is compared
with the rows before it: a board member, a chair and the public change none. The same walk
as the support team does change rows, so the walk can fail.
"""

import copy
import csv
import datetime
import hashlib
import io

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog
from concurrency.admin import ConcurrencyActionMixin
from concurrency.api import get_revision_of_object
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session as DjangoSession
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export.formats.base_formats import CSV
from reversion.models import Version

from bscb.core.roles import BOARD_MEMBERS, READING_VERBS, SUPPORT_TEAM
from bscb.reports.editions import period_publish
from meetings import workspace_urls as meetings_workspace_urls
from meetings.models import AgendaItem, Meeting
from subgroups import workspace_urls
from subgroups.models import Action, ActionPlan, Group, Risk
from tests import factories as f
from tests.admin_forms import form_data

OUR_APPS = {"bscb", "subgroups", "meetings", "reviews", "training", "funding"}
# The admin site's own pages: signing in and out, the index, lookups. Anything else is custom.
STANDARD_SITE_URLS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    None,
}
PASSWORD = "An0ther long passphrase for the walk"
# The background runs whose pages sit under a record's admin address (<int:run>).
RUNS = {
    "bscb.ReportingPeriod": ("reports.PublishingRun", "period_id"),
    "meetings.Meeting": ("meetings.PackRun", "meeting_id"),
    "reports.Edition": ("reports.ExportRun", "edition_id"),
    # A confirmed import's page sits under its model's import address: import/<run>/.
    "training.SessionAttendance": ("bscb.ImportRun", None),
}


class _Undo(Exception):
    pass


def digest() -> dict[str, str]:
    """A hash of every row of every table, by model: values ordered by primary key."""
    hashes = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        if model is DjangoSession:
            # A request may slide the sign-in's idle expiry (SessionRefreshMiddleware) and
            # re-signs its data; which sessions exist is what a request must not change.
            rows = rows.values_list("pk")
        hashes[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return hashes


@pytest.fixture
def records(db):
    """A small year: one of every record the back office shows, and a revision of each."""
    period = f.PeriodFactory(status="draft")
    organisation = f.OrganisationFactory()
    f.PriorityTextFactory(period=period, lead_organisations=[organisation])
    f.KeyFigureFactory(period=period)
    f.ReportSourceFactory(period=period)
    f.AccessibilityStatementFactory()
    f.BoardFactory(statutory_partners=[organisation])
    ours, theirs = f.GroupFactory(), f.GroupFactory()
    f.GroupTermFactory(group=ours, period=period, purpose="Ours.", chair_organisation=organisation)
    f.MembershipFactory(group=ours, organisation=organisation)
    for group in (ours, theirs):
        action = f.ActionFactory(plan__group=group, plan__period=period)
        f.ProgressUpdateFactory(action=action)
        f.RiskReviewFactory(risk__owner_group=group)
    f.EscalationNoticeFactory()
    f.NoticeFactory()
    f.PreferenceFactory()
    meeting = f.MeetingFactory(group=ours)
    f.EntryFactory(meeting=meeting)
    f.AttendanceFactory(meeting=meeting, organisation=organisation)
    item = f.AgendaItemFactory(
        meeting=meeting, is_confidential=True, minutes_text="Discussed.", decisions="- Agreed."
    )
    f.PaperFactory(agenda_item=item)
    # The action of our plan arose from that item; their group met too, with draft minutes.
    Action.objects.filter(plan__group=ours).update(arose_from=item)
    their_meeting = f.MeetingFactory(group=theirs, date=datetime.date(2018, 12, 5))
    f.AgendaItemFactory(meeting=their_meeting, minutes_text="Their minutes.")
    later = f.MeetingFactory(group=ours, date=datetime.date(2019, 1, 9))
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_status="approved", minutes_approved_at=later
    )
    review = f.CaseReviewFactory(embargoed=True, group=ours)
    review.agenda_items.add(item)
    f.RecommendationFactory(review=review)
    f.AuditFactory()
    f.LearningMaterialFactory(review=review)
    f.NilReturnFactory(period=period, kind="thematic")
    f.LearningEventFactory(review=review)
    session = f.SessionFactory()
    f.SessionAttendanceFactory(session=session, organisation=organisation)
    f.EvaluationFactory(session=session)
    f.TrainerFactory()
    f.PoolRequirementFactory()
    f.ContributionFactory(period=period, organisation=organisation)
    f.OtherIncomeFactory(period=period)
    f.SpendingFactory(period=period)
    figure = f.FigureFactory(figure_set=f.FigureSetFactory(period=period))
    f.FigureBreakdownFactory(figure=figure, value=1)
    f.AgencyStatementFactory(period=period, organisation=organisation)
    f.ProgrammeReportFactory(period=period)
    f.AppointmentFactory(
        person=f.PersonFactory(organisation=organisation),
        role="lead_officer",
        title="Chief Constable",
        organisation=organisation,
    )
    superuser = f.UserFactory(username="root", is_staff=True, is_superuser=True)
    people = {
        "support": f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]),
        "board member": f.UserFactory(username="member", is_staff=True, roles=[BOARD_MEMBERS]),
        "chair": f.UserFactory(username="chair"),
    }
    ours.chairs.add(people["chair"])
    # The board member sits on our group, with a deputy: still read-only in the back office.
    seat = f.MembershipFactory(
        group=ours,
        organisation=organisation,
        person=f.PersonFactory(user=people["board member"]),
        deputy=f.PersonFactory(),
    )
    f.AttendanceFactory(
        meeting=f.MeetingFactory(group=theirs),
        organisation=organisation,
        status="deputy",
        person=seat.deputy,
    )
    edition = period_publish(period=period, user=superuser, accept_missing=True)
    period.refresh_from_db()
    for each in apps.get_model("bscb", "ReportingPeriod").objects.all():
        # A press of Publish that stopped: its progress pages are walked too (a run still
        # under way would send the walk's own Publish there instead of publishing).
        apps.get_model("reports", "PublishingRun").objects.create(
            period=each, requested_by=superuser, error="Stopped, for the walk."
        )
    for meeting in Meeting.objects.all():
        # A circulation that stopped: its progress pages are walked too.
        apps.get_model("meetings", "PackRun").objects.create(
            meeting=meeting, requested_by=superuser, error="Stopped, for the walk."
        )
    # A finished export of each edition: its progress page and its download are walked.
    for each in apps.get_model("reports", "Edition").objects.all():
        run = apps.get_model("reports", "ExportRun")(edition=each, requested_by=superuser)
        run.file.save("walk.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
        run.files = 0
        run.save()
    # A confirmed import, finished: its page is walked too.
    apps.get_model("bscb", "ImportRun").objects.create(
        model="training.sessionattendance",
        requested_by=superuser,
        original_file_name="walk.csv",
        finished_at=timezone.now(),
        totals={"new": 1},
    )
    assert edition.sent_to_panel_on is None
    TOTPDevice.objects.create(user=superuser, name="phone")
    StaticDevice.objects.create(user=superuser, name="backup").token_set.create(token="abcd1234")
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.9", failures_since_start=1)
    AccessFailureLog.objects.create(
        username="x", ip_address="127.0.0.9", attempt_time=timezone.now()
    )
    with reversion.create_revision():
        for model in admin.site._registry:
            obj = model._default_manager.order_by("pk").first()
            if obj is not None and reversion.is_registered(model):
                reversion.add_to_revision(obj)
    return {"superuser": superuser, "people": people, "ours": ours, "theirs": theirs}


def _superuser_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _first(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the walk needs a {model.__name__}: add one to the records fixture"
    return obj


def _url(pattern: URLPattern, model) -> str:
    """The pattern's address, its parameters filled with a record of the page's model."""
    regex = pattern.pattern.regex
    if not pattern.pattern.converters and regex.groups and not regex.groupindex:
        # django-reversion's unnamed groups: recover/<version>/ and <object>/history/<version>/.
        obj = _first(model)
        version = Version.objects.get_for_object(obj).first().pk
        args = [version] if regex.groups == 1 else [obj.pk, version]
        return reverse(f"admin:{pattern.name}", args=args)
    return reverse(f"admin:{pattern.name}", kwargs=_kwargs(pattern, model))


def _kwargs(pattern: URLPattern, model) -> dict:
    values = {}
    for name in pattern.pattern.converters:
        if name in ("object_id", "pk", "id"):
            values[name] = _first(model).pk
        elif name == "version_id":
            values[name] = Version.objects.get_for_object(_first(model)).first().pk
        elif name == "run":
            run_model, field = RUNS[model._meta.label]
            runs = apps.get_model(run_model).objects
            found = {field: values["pk"]} if field else {"model": model._meta.label_lower}
            values[name] = runs.filter(**found).first().pk
        elif name == "period":
            values[name] = _first(apps.get_model("bscb", "ReportingPeriod")).slug
        else:
            raise AssertionError(f"the walk cannot fill <{name}> in {pattern.pattern}")
    return values


def _page_form(client, url) -> dict:
    """What a browser would post back from the page's form, as the superuser sees it, with every
    box ticked (publish although items are missing, delete this line) to change the most."""
    response = client.get(url)
    if response.streaming:  # a download (an edition's export): no form to post back
        return {}
    if response.status_code != 200 or b"<form" not in response.content:
        return {}
    try:
        data = form_data(response.content.decode(), tick_all=True)
    except IndexError:
        return {}
    for name, value in data.items():
        if "password" in name and not value:
            data[name] = PASSWORD
    return data


def _import_csv(model_admin, request) -> bytes:
    """The resource's export of the rows there are, each count one higher: an import changes them."""
    resource = model_admin.get_import_resource_classes(request)[0]()
    text = resource.export(queryset=model_admin.model._default_manager.all()).csv
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        for i, value in enumerate(row):
            if value.isdigit():
                row[i] = str(int(value) + 1)
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _import_payload(model_admin, request) -> dict:
    formats = model_admin.get_import_formats()
    return {
        "import_file": _import_csv(model_admin, request),
        "format": _csv_index(formats),
        "resource": "0",
    }


def _csv_index(formats) -> str:
    return str(next(i for i, fmt in enumerate(formats) if issubclass(fmt, CSV)))


def admin_steps(superuser):
    """(label, method, url, payload) for every action, import, export and admin URL."""
    root = Client()
    root.force_login(superuser)
    request = _superuser_request(superuser)
    steps = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"{prefix}_changelist")
        objects = list(model._default_manager.order_by("pk"))
        concurrent = isinstance(model_admin, ConcurrencyActionMixin) and getattr(
            model_admin, "check_concurrent_action", False
        )
        selected = [f"{o.pk},{get_revision_of_object(o)}" if concurrent else o.pk for o in objects]
        for name in model_admin.get_actions(request):
            payload = {"action": name, "index": "0", "_selected_action": selected, "post": "yes"}
            steps.append((f"{model._meta.label} action {name}", "post", changelist, payload))
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            url = _url(pattern, model)
            view = pattern.name.removeprefix(prefix[len("admin:") :] + "_")
            if view == "import":
                payload = _import_payload(model_admin, request)
            elif view == "process_import":
                upload = _import_payload(model_admin, request)
                upload["import_file"] = SimpleUploadedFile("rows.csv", upload["import_file"])
                dry_run = root.post(reverse(f"{prefix}_import"), upload)
                payload = dict(dry_run.context["confirm_form"].initial)
            elif view == "export":
                payload = {"format": _csv_index(model_admin.get_export_formats()), "resource": "0"}
            elif view == "delete":
                payload = {"post": "yes"}
            elif view == "add" and objects:
                change = reverse(f"{prefix}_change", args=[objects[0].pk])
                payload = {k: v for k, v in _page_form(root, change).items() if k != "version"}
            else:
                payload = _page_form(root, url)
                if view == "publish":  # an edition after the first says what changed
                    payload["note"] = "What changed, for the walk."
            steps.append((f"{model._meta.label} {view}", "get", url, None))
            steps.append((f"{model._meta.label} {view}", "post", url, payload))
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name not in STANDARD_SITE_URLS:
            url = _url(pattern, None)
            steps.append((f"site {pattern.name}", "get", url, None))
            steps.append((f"site {pattern.name}", "post", url, _page_form(root, url)))
    root.logout()
    return steps


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(queries) -> list[str]:
    # Saving the sign-in's own session on every request is not a write of a record.
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and not q["sql"].startswith('UPDATE "django_session"')
    ]


def _send(client, method, url, payload):
    if payload and "import_file" in payload:
        upload = SimpleUploadedFile("rows.csv", payload["import_file"])
        payload = {**payload, "import_file": upload}
    connection.queries_log.clear()  # the log keeps 9,000 queries: a full one captures nothing
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, payload or {})
    return response, _writes(queries.captured_queries)


def walk_read_only(client, steps):
    """The whole walk, then every row compared with every row before it.

    Returns the tables changed, the steps that sent a write to the database (to name the
    culprit when a table changed) and the steps answered with a server error.
    """
    before = digest()
    writers, errors = [], []
    for label, method, url, payload in steps:
        response, writes = _send(client, method, url, payload)
        if writes:
            writers.append((label, method, url, writes[0][:120]))
        if response.status_code >= 500:
            errors.append((label, method, url, response.status_code))
    after = digest()
    return sorted(k for k in before if after[k] != before[k]), writers, errors


def walk_undoing_each_step(client, steps):
    """Each step in a savepoint undone after it: (label, method, url, status, tables changed).

    Rows are compared only after a step that sent a write: a step that sent none changed none.
    """
    before = digest()
    results = []
    signed_in = copy.deepcopy(client.cookies)
    for label, method, url, payload in steps:
        # A step that signed in anew is undone with it: go back to the session that exists.
        client.cookies = copy.deepcopy(signed_in)
        try:
            with transaction.atomic():
                response, writes = _send(client, method, url, payload)
                after = digest() if writes else before
                changed = sorted(k for k in before if after[k] != before[k])
                results.append((label, method, url, response.status_code, changed))
                raise _Undo
        except _Undo:
            pass
    return results


def _clients(records):
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name, user in records["people"].items():
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    return clients


def test_no_back_office_request_of_a_board_member_chair_or_the_public_changes_a_row(records):
    steps = admin_steps(records["superuser"])
    assert len({label.split()[0] for label, *_ in steps}) == len(admin.site._registry)
    labels = {label for label, *_ in steps}
    for needed in (  # the walk reaches the pages the attacker used
        "reviews.CaseReview action release_embargo",
        "reports.Edition action record_sent_to_panel",
        "training.SessionAttendance import",
        "training.SessionAttendance process_import",
        "training.SessionAttendance export",
        "bscb.ReportingPeriod publish",
        "meetings.Meeting circulate",
        "meetings.Meeting circulating",
        "reports.Edition export_edition",
        "reports.Edition export_download",
        "training.SessionAttendance importing",
    ):
        assert needed in labels
    clients = _clients(records)
    for person in ("board member", "chair", "anonymous"):
        changed, writers, errors = walk_read_only(clients[person], steps)
        # A step may write and roll back (django-reversion previews an old version so);
        # the rows after the walk are what counts, and the writers name a culprit.
        assert (person, changed) == (person, []), writers
        assert (person, errors) == (person, [])

    # The walk can fail: the same steps as the support team change rows.
    results = walk_undoing_each_step(clients["support"], steps)
    changed = {(label, method): tables for label, method, _, _, tables in results}
    assert "reviews.CaseReview" in changed[("reviews.CaseReview action release_embargo", "post")]
    assert (
        "training.SessionAttendance"
        in changed[("training.SessionAttendance process_import", "post")]
    )
    assert "reports.Edition" in changed[("reports.Edition action record_sent_to_panel", "post")]
    assert "reports.Edition" in changed[("bscb.ReportingPeriod publish", "post")]
    assert "meetings.Meeting" in changed[("meetings.Meeting circulate", "post")]
    assert "reports.ExportRun" in changed[("reports.Edition export_edition", "post")]
    assert "bscb.ImportRun" in changed[("training.SessionAttendance process_import", "post")]
    assert [r for r in results if r[3] >= 500] == []


def test_every_admin_action_declares_the_permission_it_needs(records):
    request = _superuser_request(records["superuser"])
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        for name, (func, _, _) in model_admin.get_actions(request).items():
            verbs = getattr(func, "allowed_permissions", None)
            assert verbs, f"{model.__name__}: the action {name} declares no permission"
            for verb in verbs:
                assert hasattr(model_admin, f"has_{verb}_permission"), (model, name, verb)
                if verb in ("add", "change", "delete", "view"):
                    continue
                codename = f"{verb}_{model._meta.model_name}"
                assert Permission.objects.filter(codename=codename).exists(), codename


def test_board_members_hold_only_reading_permissions(db):
    members = AuthGroup.objects.get(name=BOARD_MEMBERS)
    verbs = {p.codename.split("_", 1)[0] for p in members.permissions.all()}
    assert verbs == set(READING_VERBS)
    support = AuthGroup.objects.get(name=SUPPORT_TEAM)
    for codename in (
        "release_casereview",
        "publish_reportingperiod",
        "import_sessionattendance",
        "export_contribution",
    ):
        assert support.permissions.filter(codename=codename).exists(), codename


WORKSPACE_MODELS = {"groups": Group, "actions": Action, "risks": Risk, "plans": ActionPlan}


def _other_groups_object(pattern, group):
    """The record of `group` that a workspace URL with parameters points at."""
    model = WORKSPACE_MODELS[str(pattern.pattern).split("/")[0]]
    if model is Group:
        return group
    if model is Action:
        return Action.objects.filter(plan__group=group).first()
    if model is ActionPlan:
        return ActionPlan.objects.filter(group=group).first()
    return Risk.objects.filter(owner_group=group).first()


def test_a_chair_posting_to_every_meeting_workspace_url_of_another_group_gets_404(records):
    """The agenda, papers and minutes of another group's meeting: 404 to a chair, and no change."""
    support, chair = _clients(records)["support"], _clients(records)["chair"]
    item = AgendaItem.objects.filter(meeting__group=records["theirs"]).first()
    values = {"pk": item.meeting_id, "item": item.pk}
    steps = []
    for pattern in meetings_workspace_urls.urlpatterns:
        kwargs = {name: values[name] for name in pattern.pattern.converters}
        url = reverse(f"workspace_meetings:{pattern.name}", kwargs=kwargs)
        page = support.get(url)
        payload = form_data(page.content.decode()) if b'method="post"' in page.content else {}
        steps += [(url, "get", url, None), (url, "post", url, payload)]
    assert len(steps) == 2 * len(meetings_workspace_urls.urlpatterns)
    changed, writers, errors = walk_read_only(chair, steps)
    assert (changed, errors) == ([], []), writers
    for url, method, _, payload in steps:
        response, _ = _send(chair, method, url, payload)
        assert response.status_code == 404, (url, method, response.status_code)


def test_a_chair_posting_to_every_workspace_url_of_another_group_gets_404_and_changes_nothing(
    records,
):
    support, chair = _clients(records)["support"], _clients(records)["chair"]
    theirs = records["theirs"]
    urls = []
    for pattern in workspace_urls.urlpatterns:
        if not pattern.pattern.converters:
            continue  # the chair's own home page
        obj = _other_groups_object(pattern, theirs)
        kwargs = {name: getattr(obj, name) for name in pattern.pattern.converters}
        urls.append(reverse(f"workspace:{pattern.name}", kwargs=kwargs))
    assert len(urls) == len(workspace_urls.urlpatterns) - 1
    steps = []
    for url in urls:
        page = support.get(url)
        payload = form_data(page.content.decode()) if b'method="post"' in page.content else {}
        steps += [(url, "get", url, None), (url, "post", url, payload)]
    changed, writers, errors = walk_read_only(chair, steps)
    assert (changed, errors) == ([], []), writers
    for url, method, _, payload in steps:
        response, _ = _send(chair, method, url, payload)
        assert response.status_code == 404, (url, method, response.status_code)
