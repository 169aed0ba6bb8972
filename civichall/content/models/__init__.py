"""Pages and records of the publishing room.

The page tree is the account matrix: Home → organisation directory → one
section page per organisation → its articles → their supplements. Staff
permissions are granted per section (see ``groups``), so an editor of
one bureau cannot touch another's articles.

What happens to a published article after publication (withdrawal, a
force-publish waiting for review) is kept in records beside the page, not in
its revisions, so that no later revision can silently undo it.

The models live in modules by topic; they are all importable from here.
"""

from .articles import (
    ArticlePage,
    ArticlePageForm,
    ArticleTag,
    SupplementKind,
    SupplementPage,
)
from .pages import (
    ARTICLES_PER_PAGE,
    HomePage,
    OrganisationIndexPage,
    OrganisationPage,
    TopicIndexPage,
    paginate,
    public_articles,
)
from .records import ForcePublication, Withdrawal, validate_reason
from .review import OrganisationReviewTask
from .topics import Topic

__all__ = [
    "ARTICLES_PER_PAGE",
    "ArticlePage",
    "ArticlePageForm",
    "ArticleTag",
    "ForcePublication",
    "HomePage",
    "OrganisationIndexPage",
    "OrganisationPage",
    "OrganisationReviewTask",
    "SupplementKind",
    "SupplementPage",
    "Topic",
    "TopicIndexPage",
    "Withdrawal",
    "paginate",
    "public_articles",
    "validate_reason",
]
