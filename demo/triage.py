"""The demo county's first triage model, trained by seed_demo itself (not left to
the nightly run), so `make run` suggests categories at once. Idempotent."""
from demo.reference import COUNTY_CODE
from governance.models import Region
from intake.triage import training
from intake.triage.models import TriageModel, TriageSettings


def train_demo_model():
    """Train the demo county's model if none is in use and the history is enough;
    returns the model, or None when there was nothing to do."""
    county = Region.objects.filter(code=COUNTY_CODE).first()
    if county is None or TriageModel.objects.filter(county=county, is_active=True).exists():
        return None
    if training.history(county).count() < TriageSettings.for_county(county).min_matters:
        return None
    try:
        model = training.request_training(county=county, trigger="demo")
    except training.TrainingRefused:
        return None
    return training.train(model.pk)
