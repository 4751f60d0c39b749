from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân, tổ chức")
    STAFF = "staff", _("Cán bộ, công chức")


class Role(models.TextChoices):
    """Roles a staff member holds in an agency (see docs/glossary.md)."""

    COUNTER_OFFICER = "counter_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    SUPERVISOR = "supervisor", _("Giám sát")
    ADMINISTRATOR = "administrator", _("Quản trị")
    ASSISTANT = "assistant", _("Tình nguyện viên hỗ trợ")


# The attribute where a user loaded with an API token carries their active memberships for the
# rest of the request, as (agency id, role, agency path) tuples (accounts.authentication; read
# by dossiers.selectors.staff_scope instead of querying them again).
MEMBERSHIPS = "_motcua_memberships"
