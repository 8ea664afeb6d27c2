import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# On PostgreSQL the log refuses UPDATE always, and DELETE unless the transaction said it prunes
# (services.audit_prune sets nofault.audit_prune for its own transaction only). TRUNCATE, which
# only the database's owner runs by hand or a test flush, fires no row trigger.
_POSTGRES_GUARD = """
CREATE FUNCTION audit_event_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the audit log is append-only: events are never changed';
    END IF;
    IF coalesce(current_setting('nofault.audit_prune', true), '') <> 'on' THEN
        RAISE EXCEPTION 'the audit log is append-only: events go only by retention pruning';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard();
"""
_POSTGRES_UNGUARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_guard();
"""
# SQLite has no session settings to let pruning through, so only UPDATE is refused there.
_SQLITE_GUARD = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: events are never changed'); END;
"""
_SQLITE_UNGUARD = "DROP TRIGGER IF EXISTS audit_event_append_only;"


def _guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("postgresql", "sqlite"):
        schema_editor.execute(_POSTGRES_GUARD if vendor == "postgresql" else _SQLITE_GUARD)


def _unguard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("postgresql", "sqlite"):
        schema_editor.execute(_POSTGRES_UNGUARD if vendor == "postgresql" else _SQLITE_UNGUARD)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("actor_name", models.CharField(blank=True, db_index=True, max_length=150)),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("login", "Logged in"),
                            ("login.failed", "Failed login"),
                            ("login.locked_out", "Locked out"),
                            ("user.invite", "Invited"),
                            ("user.role", "Changed a role"),
                            ("user.deactivate", "Deactivated"),
                            ("user.password_reset", "Sent a password reset"),
                            ("token.create", "Created an API token"),
                            ("token.revoke", "Revoked an API token"),
                            ("incident.member_add", "Added a member to a restricted incident"),
                            (
                                "incident.member_remove",
                                "Removed a member from a restricted incident",
                            ),
                            ("policy.change", "Changed the review policy"),
                            ("guide.change", "Changed the guide"),
                            ("review.waive", "Waived a review"),
                            ("review.waiver_withdraw", "Withdrew a waiver"),
                            ("postmortem.restore", "Restored a revision"),
                            ("postmortem.publish", "Published"),
                            ("postmortem.export", "Exported a restricted postmortem"),
                            ("delivery.replay", "Replayed deliveries"),
                        ],
                        db_index=True,
                        max_length=40,
                    ),
                ),
                ("target_type", models.CharField(blank=True, db_index=True, max_length=40)),
                ("target_id", models.CharField(blank=True, max_length=150)),
                ("target_label", models.CharField(blank=True, max_length=200)),
                ("address", models.CharField(blank=True, max_length=64)),
                ("detail", models.JSONField(blank=True, default=dict)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["target_type", "target_id"], name="audit_target_idx")
                ],
            },
        ),
        migrations.RunPython(_guard, _unguard, elidable=False),
    ]
