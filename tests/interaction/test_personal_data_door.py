"""Staff read what a citizen wrote unmasked only through the logged door,
and the citizen sees who read it (on the web and in the API). A comment
with nothing to mask leaves no record; staff who may not read it get the
masked text."""

import pytest
from wagtail.models import APIToken

from civichall.accounts.models import PersonalDataAccess
from civichall.interaction.models import Comment

pytestmark = pytest.mark.django_db

WITH_MOBILE = "请问地铁几点开？我的电话13812345678，麻烦回电"


@pytest.fixture
def comment_with_mobile(post):
    return post(WITH_MOBILE)


def test_moderation_and_question_screens_read_through_the_door(client, staff, comment_with_mobile, citizen):
    comment = Comment.objects.get(pk=comment_with_mobile.pk)
    assert "13812345678" not in comment.public_text
    client.force_login(staff["editor"])
    page = client.get(f"/admin/interaction/articles/{comment.article_id}/").content.decode()
    assert "13812345678" in page
    access = PersonalDataAccess.objects.get(citizen=citizen)
    assert access.staff == staff["editor"] and access.reference == f"comment:{comment.pk}"


def test_the_citizen_sees_who_read_it(client, staff, comment_with_mobile, citizen):
    client.force_login(staff["editor"])
    client.get(f"/admin/interaction/articles/{comment_with_mobile.article_id}/")
    client.logout()
    client.force_login(citizen.user)
    page = client.get("/citizen/data-use/").content.decode()
    assert "data-accesses" in page and PersonalDataAccess.objects.filter(citizen=citizen).count() == 1
    token = APIToken.create_token(user=citizen.user, name="app")[1]
    listed = client.get("/api/v1/citizen/data-access", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert listed["results"] and listed["results"][0]["what"] == "comment_text"


def test_nothing_to_mask_is_not_recorded(client, staff, post, citizen):
    post("请问地铁几点开始运营？")
    client.force_login(staff["editor"])
    client.get(f"/admin/interaction/articles/{Comment.objects.get().article_id}/")
    assert not PersonalDataAccess.objects.exists()


def test_the_staff_api_reads_through_the_door_too(client, staff, comment_with_mobile, citizen):
    token = APIToken.create_token(user=staff["health_liaison"], name="t")[1]
    other = client.get("/api/v1/moderation/comments", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert other.status_code == 200 and "13812345678" not in other.content.decode()
    assert not PersonalDataAccess.objects.exists()
    token = APIToken.create_token(user=staff["editor"], name="t")[1]
    comment = client.get(f"/api/v1/articles/{comment_with_mobile.article_id}/comments").json()
    assert "13812345678" not in str(comment)  # the public list is masked
    Comment.objects.filter(pk=comment_with_mobile.pk).update(status="moderation")
    own = client.get("/api/v1/moderation/comments", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert any("13812345678" in c["text"] and "13812345678" not in c["public_text"] for c in own["results"])
    assert PersonalDataAccess.objects.filter(citizen=citizen, staff=staff["editor"]).exists()
