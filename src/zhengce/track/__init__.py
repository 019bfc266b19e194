"""Task tracking (对账销账): the service API every face renders.

``service`` holds the functions (list_tasks, get_task, update_task, summary, create_account …),
``types`` the dataclasses they return, ``export`` the XLSX/CSV writers, ``report`` the monthly
对账 workbook (summary per agency, one sheet per document, a status chart, changes since the last).
"""

from .export import COLUMNS, export_tasks
from .report import Report, build_report, make_report, write_report
from .service import (
    agencies,
    audit_log,
    authenticate,
    count_tasks,
    create_account,
    get_task,
    list_accounts,
    list_tasks,
    may_update,
    summary,
    task_count,
    task_history,
    today,
    update_task,
)
from .types import (
    DUE_SOON_DAYS,
    OVERDUE,
    STATUSES,
    Account,
    AgencyView,
    NewAccount,
    Summary,
    TaskEvent,
    TaskView,
)

__all__ = [
    "COLUMNS", "DUE_SOON_DAYS", "OVERDUE", "STATUSES", "Account", "AgencyView", "NewAccount", "Report",
    "Summary", "TaskEvent", "TaskView", "agencies", "audit_log", "authenticate", "build_report",
    "count_tasks", "create_account", "export_tasks", "get_task", "make_report", "write_report",
    "list_accounts", "list_tasks", "may_update", "summary", "task_count", "task_history", "today", "update_task",
]
