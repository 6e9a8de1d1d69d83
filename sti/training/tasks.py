"""`@task` wrappers of the training app's worker-side work (`jobs.py`)."""

from django_tasks import task

from sti.training import jobs


@task()
def send_registration_mail(registration_id: int, kind: str) -> bool:
    return jobs.send_registration_mail(registration_id, kind)


@task()
def send_due_reminders() -> int:
    return jobs.send_due_reminders()
