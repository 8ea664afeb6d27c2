"""Postmortem API: Markdown or JSON bodies, review steps, revisions, and the linter."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from pydantic import ValidationError as PydanticValidationError
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nofault.core import document
from nofault.core.markdown import parse_text, render
from nofault.web.accounts.models import User
from nofault.web.api_errors import ServiceError
from nofault.web.audit.services import export_record
from nofault.web.choices import PostmortemStatusChoices
from nofault.web.incidents.selectors import incident_get_visible
from nofault.web.paging import whole_number
from nofault.web.postmortems import linting, selectors, services
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews import services as review_services


class FindingSerializer(serializers.Serializer):
    """One lint finding, as in the CLI's JSON output."""

    code = serializers.CharField()
    rule = serializers.CharField()
    category = serializers.CharField()
    level = serializers.CharField()
    line = serializers.IntegerField()
    column = serializers.IntegerField()
    end_line = serializers.IntegerField()
    end_column = serializers.IntegerField()
    message = serializers.CharField()
    suggestion = serializers.CharField(allow_blank=True)
    excerpt = serializers.CharField(allow_blank=True)


class PostmortemSerializer(serializers.ModelSerializer):
    """A postmortem: its source, the fields read from it, and what the linter found."""

    incident = serializers.CharField(source="incident.key", read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    reviewers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    blame_accepted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    blame_accepted = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Postmortem
        fields = [
            "id",
            "incident",
            "revision",
            "status",
            "title",
            "severity",
            "review_level",
            "summary",
            "services",
            "authors",
            "facilitator",
            "reviewers",
            "finding_count",
            "blame_count",
            "depth_score",
            "findings",
            "source",
            "created_at",
            "updated_at",
            "submitted_at",
            "published_at",
            "blame_accepted_by",
            "blame_accepted",
        ]
        read_only_fields = fields


class PostmortemListSerializer(PostmortemSerializer):
    """A postmortem in a list: no source, no findings."""

    class Meta(PostmortemSerializer.Meta):
        fields = [f for f in PostmortemSerializer.Meta.fields if f not in ("source", "findings")]
        read_only_fields = fields


class PostmortemCreateSerializer(serializers.Serializer):
    """Start a postmortem for an incident: from the template, a Markdown source or a document."""

    incident = serializers.CharField(max_length=64)
    source = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    document = serializers.JSONField(required=False, help_text="The core's Postmortem as JSON.")


class PostmortemWriteSerializer(serializers.Serializer):
    """A new source (or document) on top of the revision it was based on."""

    base_revision = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    source = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    document = serializers.JSONField(required=False, help_text="The core's Postmortem as JSON.")
    message = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReviewersSerializer(serializers.Serializer):
    """Usernames of the reviewers to assign."""

    reviewers = serializers.ListField(child=serializers.CharField(max_length=150), max_length=50)


class PublishSerializer(serializers.Serializer):
    """Publish, optionally accepting remaining blame findings."""

    accept_blame_findings = serializers.BooleanField(default=False)


class RequestChangesSerializer(serializers.Serializer):
    """What needs to change (optional; kept as a comment)."""

    body = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    """A comment on the document."""

    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    body = serializers.CharField(max_length=20_000)
    revision = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class RevisionSerializer(serializers.Serializer):
    """One save of a postmortem."""

    number = serializers.IntegerField()
    author = serializers.CharField(source="author.username", default=None)
    created_at = serializers.DateTimeField()
    message = serializers.CharField()
    diff = serializers.CharField()


class LintRequestSerializer(serializers.Serializer):
    """A text to lint."""

    text = serializers.CharField(allow_blank=True, trim_whitespace=False)  # limit: the service


class LintResponseSerializer(serializers.Serializer):
    """What the linter found."""

    findings = FindingSerializer(many=True)
    score = serializers.FloatField(allow_null=True)
    extras = serializers.JSONField()


def _source_from(data: Any, current: str | None = None) -> str | None:
    """The Markdown source from a body: a Markdown string, `source`, or a JSON `document`.

    A document replacing a `current` source changes only the parts that differ from it.
    """
    if isinstance(data, str):
        return data
    if data.get("source") is not None:
        return str(data["source"])
    if data.get("document") is not None:
        raw = data["document"]
        if not isinstance(raw, dict):
            raise ServiceError("document must be a JSON object", reason="invalid_document")
        try:
            new = document.Postmortem.model_validate(raw)
        except PydanticValidationError as exc:
            raise ServiceError(
                f"document is not a postmortem: {exc.errors()[0]['msg']}", reason="invalid_document"
            ) from None
        if current is None:
            return render(new)
        return services.postmortem_document_source(source=current, new=new)
    return None


_MARKDOWN_BODY: dict[str, Any] = {"text/markdown": OpenApiTypes.STR}


@extend_schema(tags=["postmortems"])
class PostmortemViewSet(viewsets.GenericViewSet):
    """Postmortems of incidents the caller may see."""

    serializer_class = PostmortemSerializer

    def get_queryset(self) -> Any:
        """Visible postmortems."""
        keys = ("status", "severity", "team")
        filters = {k: str(self.request.query_params.get(k, "")) for k in keys}
        return selectors.postmortem_list_visible(user=self.request.user, filters=filters)

    def _get(self, request: Request, pk: Any) -> Postmortem:
        try:
            number = int(pk)
        except (TypeError, ValueError):
            number = -1
        return selectors.postmortem_get_visible(user=request.user, pk=number)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PostmortemStatusChoices.values(), required=False),
            OpenApiParameter("severity", str, required=False),
        ],
        responses=PostmortemListSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        """List visible postmortems."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PostmortemListSerializer(page, many=True).data)

    @extend_schema(request=PostmortemCreateSerializer, responses={201: PostmortemSerializer})
    def create(self, request: Request) -> Response:
        """Start the postmortem of an incident."""
        body = PostmortemCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        incident = incident_get_visible(user=request.user, key=body.validated_data["incident"])
        source = _source_from(body.validated_data)
        pm = services.postmortem_create(incident=incident, actor=request.user, source=source)
        return Response(PostmortemSerializer(pm).data, status=201)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """One postmortem, with its source and findings."""
        return Response(PostmortemSerializer(self._get(request, pk)).data)

    @extend_schema(
        request={"application/json": PostmortemWriteSerializer, **_MARKDOWN_BODY},
        parameters=[
            OpenApiParameter(
                "base_revision",
                int,
                required=False,
                description="With a text/markdown body: the revision it was based on.",
            )
        ],
        responses={200: PostmortemSerializer, 409: OpenApiResponse(description="stale revision")},
    )
    def update(self, request: Request, pk: Any = None) -> Response:
        """Save a new source (Markdown body, or JSON with `source` or `document`)."""
        pm = self._get(request, pk)
        if isinstance(request.data, str):
            raw = request.query_params.get("base_revision", "")
            given = whole_number(raw)
            if given is None:
                raise ServiceError("give ?base_revision= with a Markdown body", reason="invalid")
            base, source, message = given, request.data, ""
        else:
            body = PostmortemWriteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            base = body.validated_data["base_revision"]
            found = _source_from(body.validated_data, current=pm.source)
            message = body.validated_data.get("message", "")
            if found is None:
                raise ServiceError("give a source or a document", reason="invalid")
            source = found
        pm = services.postmortem_save(
            postmortem=pm, actor=request.user, source=source, base_revision=base, message=message
        )
        return Response(PostmortemSerializer(pm).data)

    @extend_schema(responses={(200, "text/markdown"): OpenApiResponse(description="the source")})
    @action(detail=True, methods=["get"])
    def markdown(self, request: Request, pk: Any = None) -> Any:
        """The source as Markdown."""
        from django.http import HttpResponse

        pm = self._get(request, pk)
        export_record(actor=request.user, postmortem=pm, fmt="md")
        return HttpResponse(pm.source, content_type="text/markdown; charset=utf-8")

    @extend_schema(responses={200: serializers.JSONField()})
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk: Any = None) -> Response:
        """The source read by the core, as the document model's JSON."""
        pm = self._get(request, pk)
        return Response(parse_text(pm.source).postmortem.model_dump(mode="json"))

    @extend_schema(request=ReviewersSerializer, responses=PostmortemSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Send a draft to review."""
        pm = self._get(request, pk)
        body = ReviewersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        names = body.validated_data["reviewers"]
        reviewers = list(User.objects.filter(username__in=names, is_active=True))
        if len(reviewers) != len(set(names)):
            raise ServiceError("some reviewers are not known users", reason="unknown_reviewer")
        pm = review_services.postmortem_submit_for_review(
            postmortem=pm, actor=request.user, reviewers=reviewers
        )
        return Response(PostmortemSerializer(pm).data)

    @extend_schema(request=None, responses=PostmortemSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve as an assigned reviewer."""
        pm = self._get(request, pk)
        review_services.postmortem_approve(postmortem=pm, actor=request.user)
        return Response(PostmortemSerializer(pm).data)

    @extend_schema(request=RequestChangesSerializer, responses=PostmortemSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: Any = None) -> Response:
        """Ask for changes as an assigned reviewer (the body, if given, becomes a comment)."""
        pm = self._get(request, pk)
        body = RequestChangesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review_services.postmortem_request_changes(
            postmortem=pm, actor=request.user, body=body.validated_data["body"]
        )
        return Response(PostmortemSerializer(pm).data)

    @extend_schema(request=PublishSerializer, responses=PostmortemSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        """Publish once every reviewer approved."""
        pm = self._get(request, pk)
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        pm = review_services.postmortem_publish(
            postmortem=pm,
            actor=request.user,
            accept_blame_findings=body.validated_data["accept_blame_findings"],
        )
        return Response(PostmortemSerializer(pm).data)

    @extend_schema(methods=["get"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["post"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: Any = None) -> Response:
        """Read or add comments."""
        pm = self._get(request, pk)
        if request.method == "POST":
            body = CommentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            comment = review_services.postmortem_comment_add(
                postmortem=pm, actor=request.user, body=body.validated_data["body"]
            )
            return Response(CommentSerializer(comment).data, status=201)
        return Response(CommentSerializer(pm.comments.select_related("author"), many=True).data)

    @extend_schema(responses=RevisionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def revisions(self, request: Request, pk: Any = None) -> Response:
        """Every save, newest first."""
        pm = self._get(request, pk)
        return Response(RevisionSerializer(pm.revisions.select_related("author"), many=True).data)


@extend_schema(tags=["lint"])
class LintView(APIView):
    """Lint a text with the core and return the findings."""

    @extend_schema(
        request={"application/json": LintRequestSerializer, **_MARKDOWN_BODY},
        responses=LintResponseSerializer,
    )
    def post(self, request: Request) -> Response:
        """Post text (JSON `{"text": ...}` or a Markdown body); get findings and score."""
        refusal = linting.lint_body_refusal(request.META.get("CONTENT_LENGTH"))
        if refusal:
            raise refusal
        if isinstance(request.data, str):
            text = request.data
        else:
            body = LintRequestSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            text = body.validated_data["text"]
        report = linting.postmortem_lint(source=text)
        extras = {} if report.depth is None else {"score": report.depth.as_dict()}
        findings = [f.as_dict() for f in report.findings]
        return Response({"findings": findings, "score": report.score, "extras": extras})
