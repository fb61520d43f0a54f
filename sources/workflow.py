"""The editorial workflow shared by every reviewable model: draft → review → published.

Editors submit; Reviewers (who hold the model's `publish_<model>` permission) publish,
send back with a comment, or unpublish. `events.workflow` adds the guards that concern
claims and events; articles need only these.
"""

from django.utils import timezone

from .models import Status


class WorkflowError(Exception):
    """A transition that is not allowed, with a message for the editor."""


def publish_permission(obj):
    return f"{obj._meta.app_label}.publish_{obj._meta.model_name}"


def can_publish(user, obj):
    return user.has_perm(publish_permission(obj))


def _save(obj, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()  # bumps the version; refused if `obj` is a stale copy


def submit(obj, user):
    if obj.status != Status.DRAFT:
        raise WorkflowError(f"“{obj}” is {obj.get_status_display().lower()}, not a draft.")
    _save(obj, status=Status.REVIEW, submitted_by=user, submitted_at=timezone.now())


def check_can_publish(obj, user):
    if not can_publish(user, obj):
        raise WorkflowError("Only reviewers can publish.")
    if obj.status == Status.PUBLISHED:
        raise WorkflowError(f"“{obj}” is already published.")


def mark_published(obj, user):
    _save(
        obj,
        status=Status.PUBLISHED,
        reviewed_by=user,
        published_at=timezone.now(),
        review_comment="",
    )


def publish(obj, user):
    check_can_publish(obj, user)
    mark_published(obj, user)


def send_back(obj, user, comment):
    if not can_publish(user, obj):
        raise WorkflowError("Only reviewers can send work back.")
    if obj.status != Status.REVIEW:
        raise WorkflowError(f"“{obj}” is not in review.")
    if not comment.strip():
        raise WorkflowError("Say why it goes back: a comment is required.")
    _save(obj, status=Status.DRAFT, reviewed_by=user, review_comment=comment.strip())


def unpublish(obj, user):
    if not can_publish(user, obj):
        raise WorkflowError("Only reviewers can unpublish.")
    if obj.status != Status.PUBLISHED:
        raise WorkflowError(f"“{obj}” is not published.")
    _save(obj, status=Status.DRAFT, reviewed_by=user)
