"""Admin forms of the comment area (validation proper happens in ``actions``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civichall.accounts.models import Organisation

from .models import OrganisationInteractionSettings


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Official reply"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                           help_text=_("Plain language, concrete facts (dates, places, phone numbers, links). "
                                       "The tone check sends flippant or empty replies back with the reasons."))
    request_approval = forms.BooleanField(
        label=_("If the tone check objects, ask a reviewer instead"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Reassign to"), queryset=Organisation.objects.all())
    note = forms.CharField(label=_("Note for the new organisation"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)


class CloseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Close as"), choices=[
        ("duplicate", _("Duplicate of an earlier question")),
        ("out_of_scope", _("Out of scope (say where to go)")),
    ], widget=forms.RadioSelect)
    duplicate_of = forms.IntegerField(label=_("Earlier question number"), required=False, min_value=1,
                                      max_value=2**63 - 1)
    where_to_go = forms.CharField(label=_("Where to go instead"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("e.g. the citizen hotline, an office and its address, an online service"))
    public_reason = forms.CharField(label=_("Public reason (optional)"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = OrganisationInteractionSettings
        fields = ["comments_open_by_default", "pre_moderation", "replies_need_approval", "first_answer_hours",
                  "report_threshold", "edit_window_minutes"]
