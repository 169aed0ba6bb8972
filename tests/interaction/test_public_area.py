"""The comment area under an article: what readers and citizens see, and the
plain forms (no JavaScript)."""

import pytest
from django.utils import timezone

from civichall.interaction import actions
from civichall.interaction.models import Comment, Question

pytestmark = pytest.mark.django_db

ANSWER = "您好，首班车时间不变，各站首末班车时间以车站公告为准，如有疑问可拨打12345。"


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen.user)
    return client


def html(client, article):
    response = client.get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_reader_sees_comments_replies_and_a_sign_in_link(client, article, post, staff):
    comment = post("首班车几点？")
    featured = post("感谢一线工作人员")
    actions.do_feature(staff["editor"], featured)
    actions.do_reply(staff["editor"], comment, ANSWER)
    page = html(client, article)
    assert 'id="sign-in-to-comment"' in page and 'id="comment-form"' not in page
    assert page.index(f'id="comment-{featured.pk}"') < page.index(f'id="comment-{comment.pk}"')
    assert "官方回复" in page or "Official reply" in page
    assert ANSWER in page and "badge answered" in page


def test_blocked_and_flagged_comments_are_not_public(client, article, post, citizen):
    blocked = post("网络赌场，点我")
    flagged = post("有人卖冰毒")
    page = html(client, article)
    assert "网络赌场" not in page and "冰毒" not in page
    assert f'id="comment-{blocked.pk}"' not in page and f'id="comment-{flagged.pk}"' not in page


def test_author_sees_own_pending_comments_with_the_reason(signed_in, article, post):
    post("网络赌场，点我")
    page = html(signed_in, article)
    assert 'id="my-pending"' in page and "网络赌场" in page  # only to its author
    assert "comment-status error" in page


def test_post_through_the_form(signed_in, article, citizen):
    response = signed_in.post(f"/comments/articles/{article.pk}/", {"text": "请问首班车几点？", "client_key": "f1"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert Question.objects.filter(comment=comment).exists()
    page = signed_in.get(response["Location"].split("#")[0]).content.decode()
    assert "请问首班车几点？" in page and "badge waiting" in page
    # The same form posted twice (a double click) stores one comment.
    signed_in.post(f"/comments/articles/{article.pk}/", {"text": "请问首班车几点？", "client_key": "f1"})
    assert Comment.objects.count() == 1


def test_form_errors_keep_the_draft(signed_in, article):
    response = signed_in.post(f"/comments/articles/{article.pk}/", {"text": "好" * 501}, follow=True)
    page = response.content.decode()
    assert "500" in page and "好" * 501 in page
    assert not Comment.objects.exists()


def test_rate_limit_message_on_the_page(signed_in, article, start_of_minute):
    for i in range(5):
        signed_in.post(f"/comments/articles/{article.pk}/", {"text": f"第{i}条"})
    page = signed_in.post(f"/comments/articles/{article.pk}/", {"text": "第6条"}, follow=True).content.decode()
    assert Comment.objects.count() == 5 and "第6条" in page  # kept as the draft


def test_script_is_shown_as_text(client, article, post):
    post('<script>alert("x")</script><b>地铁</b>')
    page = html(client, article)
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;地铁&lt;/b&gt;" in page


def test_like_and_report_buttons_work_without_javascript(client, article, post, make_citizen):
    comment = post("建议末班车延后")
    reader = make_citizen("13900000555")
    client.force_login(reader.user)
    client.post(f"/comments/{comment.pk}/like/", {"like": "1"})
    assert Comment.objects.get(pk=comment.pk).likes_count == 1
    assert 'aria-pressed="true"' in html(client, article)
    client.post(f"/comments/{comment.pk}/like/", {"like": "0"})
    assert Comment.objects.get(pk=comment.pk).likes_count == 0
    client.post(f"/comments/{comment.pk}/report/", {"reason": "off_topic"})
    assert Comment.objects.get(pk=comment.pk).reports_count == 1
    assert client.get(f"/comments/{comment.pk}/like/").status_code == 405


def test_edit_and_delete_pages(signed_in, article, post, client):
    comment = post("首班车几点")
    assert signed_in.get(f"/comments/{comment.pk}/edit/").status_code == 200
    bad = signed_in.post(f"/comments/{comment.pk}/edit/", {"text": ""})
    assert bad.status_code == 400
    signed_in.post(f"/comments/{comment.pk}/edit/", {"text": "首班车几点开？"})
    assert Comment.objects.get(pk=comment.pk).text == "首班车几点开？"
    assert signed_in.get(f"/comments/{comment.pk}/delete/").status_code == 200
    signed_in.post(f"/comments/{comment.pk}/delete/")
    assert Comment.objects.get(pk=comment.pk).status == "deleted"
    assert "首班车几点开？" not in html(client, article)


def test_others_cannot_edit(client, post, make_citizen):
    comment = post("首班车几点")
    client.force_login(make_citizen("13900000556").user)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403


def test_signed_out_forms_lead_to_sign_in(client, article, post):
    response = client.post(f"/comments/articles/{article.pk}/", {"text": "首班车几点？"})
    assert response.status_code == 302 and "/citizen/sign-in/" in response["Location"]
    assert not Comment.objects.exists()


def test_invalid_ids_are_404(signed_in):
    assert signed_in.post("/comments/articles/999999/", {"text": "x"}).status_code == 404
    assert signed_in.post("/comments/999999/like/").status_code == 404


def test_closed_comments_notice(client, article):
    article.comments_open = False
    article.save_revision().publish()
    page = html(client, article)
    assert 'id="comments-closed"' in page


def test_thread_with_follow_up_and_closed_duplicate(signed_in, article, post, staff, other_citizen, metro_rule):
    root = post("地铁首班车几点？")
    actions.do_reply(staff["transport_liaison"], root, ANSWER)
    page = html(signed_in, article)
    assert "follow-up-form" in page
    signed_in.post(f"/comments/articles/{article.pk}/", {"text": "那末班车呢？", "parent": root.pk})
    follow = Comment.objects.get(parent=root)
    dup = post("首班车几点开？", who=other_citizen)
    actions.do_close_question(staff["transport_liaison"], Question.objects.get(comment=dup), "duplicate",
                              duplicate_of=Question.objects.get(comment=root))
    page = html(signed_in, article)
    assert f'id="comment-{follow.pk}"' in page
    assert f'href="#comment-{root.pk}"' in page and "badge closed" in page


def test_deleted_question_with_an_answer_shows_a_placeholder(client, article, post, staff, citizen):
    comment = post("首班车几点？")
    actions.do_delete_comment(citizen, comment)
    assert f'id="comment-{comment.pk}"' not in html(client, article)
    actions.do_reply(staff["editor"], comment, ANSWER)
    page = html(client, article)
    assert f'id="comment-{comment.pk}"' in page and "首班车几点？" not in page and ANSWER in page


def test_notifications_page(signed_in, article, post, staff, citizen):
    actions.do_reply(staff["editor"], post("首班车几点？"), ANSWER)
    page = signed_in.get("/citizen/notifications/").content.decode()
    assert ANSWER[:10] in page and 'class="unread' in page
    signed_in.post("/citizen/notifications/")
    assert 'class="unread' not in signed_in.get("/citizen/notifications/").content.decode()
    signed_in.logout()
    assert signed_in.get("/citizen/notifications/").status_code == 302


def test_old_comments_are_paginated(client, article, citizen):
    for i in range(25):
        Comment.objects.create(article=article, citizen=citizen, text=f"留言{i}", public_text=f"留言{i}",
                               status="visible", created_at=timezone.now())
    page = html(client, article)
    assert "comments_page=2" in page
    assert client.get(article.url + "?comments_page=2").status_code == 200


def test_edit_is_offered_only_while_it_works(signed_in, article, post, staff):
    """An answered question, and one past the edit window, show no "Edit"
    (the page would refuse it); "Delete" stays."""
    asked = post("末班车几点？")
    answered = post("首班车几点？")
    actions.do_reply(staff["editor"], answered, ANSWER)
    old = post("周末有加开班次吗？")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=30))
    page = html(signed_in, article)
    assert f'href="/comments/{asked.pk}/edit/"' in page
    assert f'href="/comments/{answered.pk}/edit/"' not in page
    assert f'href="/comments/{old.pk}/edit/"' not in page
    assert f'href="/comments/{answered.pk}/delete/"' in page
    refused = signed_in.post(f"/comments/{answered.pk}/edit/", {"text": "首班车到底几点？"})
    assert refused.status_code in (400, 403, 409)
