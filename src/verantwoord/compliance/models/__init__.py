from verantwoord.compliance.models.task import ComplianceTask, TaskEvidence

__all__ = ["ComplianceTask", "TaskEvidence"]
