"""/api/v1/complaints/: intake for platform integration (placeholder router until the API lands)."""

from ninja import Router

router = Router(tags=["投诉举报"])
