"""The demo county's petitions: every statutory step, tied to demo matters, consistent
with their clocks, and seeded once."""
from django.core.management import call_command

from governance.models import Case, Clock
from petitions import clocks
from petitions.choices import Step
from petitions.models import Petition, PetitionDocument


def test_the_demo_has_petitions_at_every_step(db, client, staff):
    call_command("seed_demo", cases=1500, verbosity=0)
    petitions = Petition.objects.select_related("case")
    steps = set(petitions.values_list("step", flat=True))
    assert steps == set(Step.values), steps
    assert petitions.count() == Case.objects.filter(kind="petition").count()
    # No petition runs a tier clock; each open one runs exactly one organ period or is overdue.
    assert not Clock.objects.filter(case__kind="petition", kind="tier", stopped_at__isnull=True).exists()
    for petition in petitions.filter(step__in=["registered", "forwarded", "accepted", "review_requested"]):
        running = Clock.objects.filter(case=petition.case, kind__in=clocks.ORGAN_KINDS, stopped_at__isnull=True)
        assert running.count() == 1 or petition.overdue_since is not None, petition.pk
    assert PetitionDocument.objects.filter(kind="reply").exists()
    assert petitions.filter(overdue_since__isnull=False).exists()
    before = Petition.objects.count(), PetitionDocument.objects.count()
    call_command("seed_demo", cases=1500, verbosity=0)
    assert (Petition.objects.count(), PetitionDocument.objects.count()) == before
    client.force_login(staff("leader"))
    for url in ("/petitions/", "/petitions/backlog/", "/petitions/owned/", "/petitions/reception/"):
        assert client.get(url).status_code == 200
    sample = petitions.filter(step="re_review_requested").first()
    assert client.get(f"/petitions/{sample.pk}/").status_code == 200
