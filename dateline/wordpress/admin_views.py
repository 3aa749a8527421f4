"""Settings › Import from WordPress: upload an export; the worker imports it."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from dateline.worker.queue import enqueue_with_commit

from .models import ImportRun
from .tasks import run_wordpress_import

PERMISSION = "dateline_wordpress.run_import"


class ImportForm(forms.ModelForm):
    media_url = forms.URLField(
        label=_("Old site's uploads address"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "e.g. https://old.example/wp-content/uploads/ — images are fetched "
            "from there. Leave empty to import without media."
        ),
    )

    class Meta:
        model = ImportRun
        fields = ["export", "media_url"]
        help_texts = {"export": _("The file WordPress's Tools › Export wrote (.xml).")}

    def clean_export(self):
        export = self.cleaned_data["export"]
        if not export.name.lower().endswith(".xml"):
            raise forms.ValidationError(_("Upload the .xml file of the export."))
        return export


def _check(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def start(request):
    _check(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = form.save(commit=False)
        run.created_by = request.user
        run.save()
        enqueue_with_commit(run_wordpress_import, run.pk)
        return redirect("dateline_wordpress:run", run.pk)
    runs = ImportRun.objects.all()[:10]
    return TemplateResponse(
        request, "dateline_wordpress/start.html", {"form": form, "runs": runs}
    )


def run_detail(request, pk):
    _check(request)
    run = get_object_or_404(ImportRun, pk=pk)
    return TemplateResponse(request, "dateline_wordpress/run.html", {"run": run})
