"""Task tracking (对账销账): the service API every face renders.

``service`` holds the functions (list_tasks, get_task, update_task, summary, create_account …),
``types`` the dataclasses they return, ``export`` the XLSX/CSV writers.
"""

from .export import COLUMNS, export_tasks
from .service import (
    agencies,
    audit_log,
    authenticate,
    create_account,
    get_task,
    list_accounts,
    list_tasks,
    may_update,
    summary,
    task_history,
    today,
    update_task,
)
from .types import OVERDUE, STATUSES, Account, AgencyView, NewAccount, Summary, TaskEvent, TaskView

__all__ = [
    "COLUMNS", "OVERDUE", "STATUSES", "Account", "AgencyView", "NewAccount", "Summary", "TaskEvent",
    "TaskView", "agencies", "audit_log", "authenticate", "create_account", "export_tasks", "get_task",
    "list_accounts", "list_tasks", "may_update", "summary", "task_history", "today", "update_task",
]
