"""The web import of the business ledger: upload -> preview (dry run, errors) -> confirm (writes).

The flow is the generic one of jianguan.core.importing.web; this only names the ledger, its URLs
and its pages (templates businesses/import_*.html, which fill in the texts).
"""

from jianguan.core.importing.web import ImportPages

from .resources import HEADERS

PAGES = ImportPages(
    ledger="businesses",
    headers=HEADERS,
    upload_url="businesses:import_upload",
    confirm_url="businesses:import_confirm",
    errors_url="businesses:import_errors",
    home_url="businesses:list",
    home_label="市场主体",
    upload_template="businesses/import_upload.html",
    preview_template="businesses/import_preview.html",
    done_template="businesses/import_done.html",
)

import_upload = PAGES.upload
import_confirm = PAGES.confirm
import_errors = PAGES.errors
