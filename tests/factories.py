"""One factory per model the tests create; matters go through the real service."""
import factory
from faker import Faker

from governance.choices import CaseKind, Channel, PartyRole
from governance.models import Category, Organisation, Region
from governance.cases.services import case_register

fake = Faker("zh_CN")


def region(code):
    return Region.objects.get(code=code)


def center_of(region_obj):
    return Organisation.objects.get(region=region_obj, kind="center")


class CaseFactory(factory.Factory):
    """CaseFactory(region=village) registers a dispute held by that place's center."""

    class Meta:
        model = dict

    kind = CaseKind.DISPUTE
    channel = Channel.WALK_IN
    category = factory.LazyFunction(lambda: Category.objects.get(code="neighbourhood"))
    region = factory.LazyFunction(lambda: Region.objects.get(code="339901001001"))
    narrative = factory.LazyFunction(lambda: f"邻居装修噪音扰民，{fake.sentence()}")
    holder = None
    actor = None
    parties = factory.LazyFunction(
        lambda: [
            {"role": PartyRole.APPLICANT, "name": fake.name(), "id_number": fake.ssn(), "phone": fake.phone_number()},
            {"role": PartyRole.RESPONDENT, "name": fake.name(), "phone": fake.phone_number()},
        ]
    )

    @classmethod
    def _create(cls, model_class, **kwargs):
        if kwargs["holder"] is None:
            place = kwargs["region"]
            while not Organisation.objects.filter(region=place, kind="center").exists():
                place = Region.objects.get_parent(place)
            kwargs["holder"] = center_of(place)
        return case_register(**kwargs)


def registered_at(moment, **fields):
    """A matter registered at ``moment`` (its tier clock counted from then), e.g. one
    whose deadline has passed: ``registered_at(now - timedelta(days=20))``."""
    import time_machine

    with time_machine.travel(moment, tick=False):
        return CaseFactory(**fields)


def png_bytes(size=(8, 8), color=(200, 60, 60)) -> bytes:
    """A real PNG (uploads are decoded and written again, so a header alone is refused)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_location(size=(32, 24)) -> bytes:
    """A JPEG whose EXIF carries a camera model and a GPS position (31.23 N, 121.47 E)."""
    from io import BytesIO

    from PIL import Image

    exif = Image.Exif()
    exif[0x0110] = "PhoneCam X1"  # Model
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (31.0, 13.0, 48.0), 3: "E", 4: (121.0, 28.0, 12.0)})
    out = BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()
