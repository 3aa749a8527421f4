from django import forms


class DatelinePlaceInput(forms.TextInput):
    """A free text box that suggests the places the newsroom keeps (a <datalist>)."""

    template_name = "newsroom/widgets/dateline_place.html"

    def get_context(self, name, value, attrs):
        from .models import DatelinePlace

        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-places"
        context["widget"]["attrs"]["list"] = list_id
        context["list_id"] = list_id
        context["places"] = DatelinePlace.objects.values_list("name", flat=True)
        return context
