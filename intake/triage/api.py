"""POST /api/v1/intake/suggest/: the category and holder suggested for a narrative
(the hotline system asks while its operator types). Same service as the desk."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from governance.choices import PLACE_LEVELS, CaseKind
from governance.models import Region
from governance.people.roles import REGISTER
from intake.triage import suggestions
from intake.triage.models import Door


class PlaceCodeField(serializers.SlugRelatedField):
    """A place code, or the field left out (or null in JSON); an empty string is refused,
    as the schema's minLength says, not taken for "no place"."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""  # DRF would read an empty form value as null for a nullable field
        return super().get_value(dictionary)

    def run_validation(self, data=serializers.empty):
        if data == "":
            raise serializers.ValidationError(_("Give a place code, or leave the field out."))
        return super().run_validation(data)


class SuggestInputSerializer(serializers.Serializer):
    # Its length is checked as sent (the schema's maxLength), then it is trimmed.
    narrative = serializers.CharField(max_length=5000, trim_whitespace=False)
    place = PlaceCodeField(
        slug_field="code", queryset=Region.objects.filter(level__in=PLACE_LEVELS), required=False, allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("Unknown place code “{value}”; "
                                                       "the codes are listed at /api/v1/regions/.")})
    kind = serializers.ChoiceField(choices=CaseKind.choices, default=CaseKind.DISPUTE)

    def validate_narrative(self, narrative):
        narrative = narrative.strip()
        if not narrative:
            raise serializers.ValidationError(self.fields["narrative"].error_messages["blank"])
        return narrative

    def validate_place(self, place):
        user = self.context["request"].user
        if place is not None and not user.is_superuser and user.organisation_id is not None:
            if not place.path.startswith(user.organisation.region.county_path):
                raise serializers.ValidationError(_("This place is not in your county."))
        return place


class ChoiceSerializer(serializers.Serializer):
    code = serializers.CharField(source="category.code")
    name = serializers.CharField(source="category.name")
    score = serializers.FloatField()
    words = serializers.ListField(child=serializers.CharField(), help_text="the deciding words, heaviest first")
    spans = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()),
                                  help_text="[start, end) of each deciding word in the narrative")


class HolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SuggestOutputSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    reason = serializers.CharField(help_text="why nothing is suggested, when available is false")
    suggestion = serializers.IntegerField(allow_null=True, help_text=(
        "the suggestion's id: give it as `suggestion` when registering the matter (POST /api/v1/cases/), "
        "so what was chosen is recorded"))
    categories = ChoiceSerializer(many=True)
    holder = HolderSerializer(allow_null=True, help_text="the routing rules' holder for the first category at the place")
    model = serializers.DictField(allow_null=True)


class SuggestView(APIView):
    """The top three categories for a narrative, with scores and the words that decided
    each, and the holder the routing rules give the first one at ``place``. Nothing
    is suggested (``available`` false, with the reason) while the county has too
    little history. The suggestion never registers or changes anything."""

    @extend_schema(request=SuggestInputSerializer, responses={200: SuggestOutputSerializer})
    def post(self, request):
        if not request.user.has_perm(REGISTER.permission):
            raise PermissionDenied(str(REGISTER.refusal))
        payload = SuggestInputSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        place = payload.validated_data.get("place")
        result = suggestions.suggest(narrative=payload.validated_data["narrative"],
                                     county=suggestions.county_of(user=request.user, region=place), region=place,
                                     kind=payload.validated_data["kind"])
        suggestion = suggestions.record_offer(result=result, user=request.user, door=Door.API)
        model = result.model
        return Response({
            "available": result.available, "reason": result.reason,
            "suggestion": suggestion.pk if suggestion else None,
            "categories": ChoiceSerializer(result.choices, many=True).data,
            "holder": {"id": result.holder.pk, "name": result.holder.name} if result.holder else None,
            "model": None if model is None else {
                "version": model.version, "trained_at": model.trained_at, "matters": model.matters,
                "heldout_top1": model.heldout_top1},
        })
