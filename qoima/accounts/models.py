"""Users with one archival role each, and the audit log of reads of restricted material."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    PUBLIC = "public", "public"
    RESEARCHER = "researcher", "registered researcher"
    ARCHIVIST = "archivist", "archivist"
    ADMIN = "admin", "administrator"


ROLE_RANK = {Role.PUBLIC: 0, Role.RESEARCHER: 1, Role.ARCHIVIST: 2, Role.ADMIN: 3}


class User(AbstractUser):
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.PUBLIC)

    def save(self, *args, **kwargs):
        # Staff rights follow the role so the admin site and the policy never disagree.
        if self.role in (Role.ARCHIVIST, Role.ADMIN):
            self.is_staff = True
        if self.role == Role.ADMIN:
            self.is_superuser = True
        if self.is_superuser and self.role != Role.ADMIN:
            self.role = Role.ADMIN
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """Who read what restricted record, when, through which door."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    ref = models.CharField(max_length=500, db_index=True)
    access = models.CharField(max_length=12, blank=True)
    door = models.CharField(max_length=200, blank=True, help_text="page, api, iiif, download …")
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit log"
