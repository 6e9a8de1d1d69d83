from django.contrib import admin

from sti.servicedesk.models import Attachment, InternalNote, LinkedRecord, Message, ServiceRequest


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0


class InternalNoteInline(admin.TabularInline):
    model = InternalNote
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["original_name", "mime_type", "size", "sha256"]


class LinkedRecordInline(admin.TabularInline):
    model = LinkedRecord
    extra = 0


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "kind",
        "subject",
        "requester_name",
        "status",
        "assignee",
        "due_on",
    ]
    list_filter = ["kind", "status", "year"]
    search_fields = ["reference", "subject", "requester_name", "requester_organization"]
    readonly_fields = ["reference", "year", "number", "received_at", "first_answered_at"]
    inlines = [MessageInline, InternalNoteInline, AttachmentInline, LinkedRecordInline]
