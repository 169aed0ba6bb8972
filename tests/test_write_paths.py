"""Every model of the product and the named actions that write it.

The list below is the project's inventory of write paths: a new model
fails this test until its actions are named here. The test also checks
that each named action exists, and that no admin screen writes a model of
ours behind the actions' back: no model is a plain snippet, and every
model view set is the action-backed one (pages go through Wagtail's editor
and the review workflow, whose steps are the content actions)."""

import importlib

from django.apps import apps
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import get_snippet_models

from civichall.accounts.admin_viewsets import ActionViewSet

WRITE_PATHS = {
    "accounts.Organisation": ["accounts.actions.do_save_organisation", "accounts.actions.do_delete_organisation"],
    "accounts.Membership": ["accounts.actions.do_add_membership", "accounts.actions.do_change_membership",
                            "accounts.actions.do_remove_membership"],
    "accounts.Citizen": ["accounts.citizens.do_sign_in_with_code", "accounts.citizens.do_sign_in_with_wechat",
                         "accounts.citizens.do_link_wechat", "accounts.citizens.do_verify_identity"],
    "accounts.OneTimeCode": ["accounts.citizens.do_request_code", "accounts.citizens.do_sign_in_with_code"],
    "accounts.CitizenSession": ["accounts.citizen_sessions.do_issue_token",
                                "accounts.citizen_sessions.do_record_web_sign_in",
                                "accounts.citizen_sessions.do_end_session",
                                "accounts.citizen_sessions.do_sign_out_everywhere"],
    "accounts.PersonalDataAccess": ["accounts.personal_data.read"],
    "content.Topic": ["content.actions.do_save_topic", "content.actions.do_delete_topic"],
    "content.HomePage": ["content.setup.ensure_site_structure"],
    "content.OrganisationIndexPage": ["content.setup.ensure_site_structure"],
    "content.TopicIndexPage": ["content.setup.ensure_site_structure"],
    "content.OrganisationPage": ["contrib.demo.load_accounts.load_organisations"],
    "content.ArticleTag": ["content.actions.do_submit_for_review"],
    "content.ArticlePage": ["content.actions.do_submit_for_review", "content.actions.do_review",
                            "content.actions.do_force_publish", "content.actions.do_withdraw",
                            "content.actions.do_unpublish_in_error"],
    "content.SupplementPage": ["content.actions.do_add_supplement", "content.actions.do_review"],
    "content.Withdrawal": ["content.actions.do_withdraw"],
    "content.ForcePublication": ["content.actions.do_force_publish"],
    "content.OrganisationReviewTask": ["content.setup.ensure_site_structure"],
    "services.Connector": ["services.actions.do_save_connector", "services.actions.do_delete"],
    "services.ConnectorShare": ["services.actions.do_share_connector", "services.actions.do_revoke_connector_share"],
    "assistant.Faq": ["assistant.actions.do_save_faq", "assistant.actions.do_review_faq",
                      "assistant.actions.do_retire_faq", "assistant.actions.do_delete_faq",
                      "assistant.actions.do_promote_reply_to_faq"],
    "assistant.AskedQuestion": ["assistant.actions.do_record_question", "assistant.actions.do_record_answer",
                                "assistant.actions.do_hand_off"],
    "assistant.AnswerFeedback": ["assistant.actions.do_give_feedback"],
    "assistant.Handoff": ["assistant.actions.do_hand_off", "assistant.actions.do_answer_handoff"],
    # The index's change log: bookkeeping appended once a change commits, like the safety checks' records.
    "assistant.KnowledgeChange": ["assistant.sync.record", "assistant.sync.prune"],
    "services.Service": ["services.actions.do_save_service", "services.actions.do_set_status",
                         "services.actions.do_delete"],
    "services.Hub": ["services.actions.do_save_hub", "services.actions.do_save_hub_form", "services.actions.do_delete"],
    "services.HubEntry": ["services.actions.do_save_hub", "services.actions.do_save_hub_form"],
    "services.AccountMenu": ["services.actions.do_import_menu", "services.actions.do_delete"],
    "safety.LexiconEntry": ["safety.actions.do_add_entry", "safety.actions.do_update_entry",
                            "safety.actions.do_delete_entry", "safety.actions.do_import_lexicon"],
    "safety.Lexicon": ["safety.actions.do_import_lexicon"],
    "safety.SafetyCheck": ["safety.services.record_check"],
    "safety.SafetyHit": ["safety.services.record_check"],
    "safety.SafetyCheckTask": ["content.setup.ensure_site_structure"],
    "interaction.OrganisationInteractionSettings": ["interaction.settings_actions.do_save_comment_settings"],
    "interaction.Comment": ["interaction.actions.do_post_comment", "interaction.actions.do_edit_comment",
                            "interaction.actions.do_delete_comment", "interaction.actions.do_feature",
                            "interaction.actions.do_moderate", "interaction.actions.do_hide",
                            "interaction.actions.do_restore"],
    "interaction.CommentLike": ["interaction.actions.do_like"],
    "interaction.CommentReport": ["interaction.actions.do_report"],
    "interaction.OfficialReply": ["interaction.actions.do_reply", "interaction.actions.do_revise_reply",
                                  "interaction.actions.do_approve_reply", "interaction.actions.do_return_reply",
                                  "interaction.actions.do_promote_reply"],
    "interaction.RoutingRule": ["interaction.settings_actions.do_save_routing_rule",
                                "interaction.settings_actions.do_delete_routing_rule"],
    "interaction.Question": ["interaction.actions.do_mark_question", "interaction.actions.do_unmark_question",
                             "interaction.actions.do_assign_question", "interaction.actions.do_close_question"],
    "interaction.QuestionNote": ["interaction.actions.do_add_note"],
    "notify.Notification": ["notify.services.notify_citizen", "notify.services.mark_read"],
    "applications.ApplicationDefinition": ["applications.actions.do_save_definition",
                                            "applications.actions.do_retire_definition"],
    "applications.DefinitionVersion": ["applications.actions.do_save_definition"],
    "applications.PrefillSource": ["applications.actions.do_bind_prefill_source"],
    "applications.Draft": ["applications.actions.do_save_draft", "applications.actions.do_prefill",
                           "applications.actions.do_discard_draft", "applications.actions.do_submit"],
    "applications.Consent": ["applications.actions.do_give_consent"],
    "applications.DataUse": ["applications.actions.do_prefill"],
    "applications.Material": ["applications.actions.do_add_material", "applications.actions.do_remove_material",
                              "applications.actions.do_submit"],
    "applications.Case": ["applications.actions.do_submit", "applications.actions.do_transition",
                          "applications.actions.do_claim_case", "applications.actions.do_assign_case",
                          "applications.actions.escalate_overdue_cases", "applications.actions.do_file_report"],
    "applications.CasePart": ["applications.actions.do_submit", "applications.actions.do_complete_part"],
    "applications.CaseEvent": ["applications.actions.do_submit", "applications.actions.do_transition",
                               "applications.actions.do_complete_part", "applications.actions.do_add_note",
                               "applications.actions.do_assign_case", "applications.actions.escalate_overdue_cases",
                               "applications.actions.do_file_report"],
    "applications.PrefillCorrection": ["applications.actions.do_submit"],
    "open311.ApiKey": ["channels.open311.actions.do_create_key", "channels.open311.actions.do_revoke_key"],
    "open311.InboundRequest": ["channels.open311.actions.do_post_request"],
    "applications.Rating": ["applications.actions.do_rate"],
    "applications.RatingFollowUp": ["applications.actions.do_rate", "applications.actions.do_answer_follow_up"],
    "civichall_core.SiteProfile": ["core.site_actions.do_save_site_profile"],
    "wechat.WechatAccount": ["channels.wechat.actions.do_configure_account"],
    "wechat.KeywordReply": ["channels.wechat.actions.do_save_keyword_reply",
                            "channels.wechat.actions.do_delete_keyword_reply"],
    "wechat.Handoff": ["channels.wechat.actions.do_file_handoff", "channels.wechat.actions.do_answer_handoff"],
    "wechat.Follower": ["channels.wechat.inbound.handle"],
    "wechat.InboundMessage": ["channels.wechat.inbound.handle"],
    "wechat.Delivery": ["channels.wechat.platform.call"],
    "wechat.SubscriptionConsent": ["channels.wechat.actions.do_record_subscription_choices",
                                   "channels.wechat.actions.do_use_subscription"],
}


def product_models():
    return {m._meta.label for m in apps.get_models() if m.__module__.startswith("civichall.")}


def resolve(path):
    module, _, name = f"civichall.{path}".rpartition(".")
    return getattr(importlib.import_module(module), name, None)


def test_every_model_has_its_write_paths_named():
    missing = product_models() - set(WRITE_PATHS)
    assert not missing, f"name the actions that write: {sorted(missing)}"
    assert not set(WRITE_PATHS) - product_models(), "the list names models that no longer exist"


def test_every_named_action_exists():
    absent = [path for paths in WRITE_PATHS.values() for path in paths if not callable(resolve(path))]
    assert not absent, absent


def test_no_model_of_ours_is_a_plain_snippet():
    ours = {m for m in apps.get_models() if m.__module__.startswith("civichall.")}
    assert not [m for m in get_snippet_models() if m in ours], "snippets save without an action"


def test_the_admin_view_sets_of_our_models_are_action_backed(admin_client):
    """Every model view set registered in the admin for a model of ours."""
    from wagtail import hooks

    ours = {m for m in apps.get_models() if m.__module__.startswith("civichall.")}
    registered = []
    for fn in hooks.get_hooks("register_admin_viewset"):
        result = fn()
        for item in (result if isinstance(result, (list, tuple)) else [result]):
            registered.extend([item, *getattr(item, "items", ())])
    model_viewsets = [v for v in registered if isinstance(v, ModelViewSet) and getattr(v, "model", None) in ours]
    assert model_viewsets, "no admin view sets found"
    assert all(isinstance(v, ActionViewSet) for v in model_viewsets), [
        v.model._meta.label for v in model_viewsets if not isinstance(v, ActionViewSet)]
    covered = {v.model._meta.label for v in model_viewsets}
    assert {"accounts.Organisation", "accounts.Membership", "services.Service", "services.Connector",
            "interaction.RoutingRule", "content.Topic"} <= covered
