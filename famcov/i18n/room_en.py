"""en messages of the training room (issue 10): receipt export, own-family practice."""

MESSAGES: dict[str, str] = {
    "opt.--export": "Save the receipt as a picture or a web page: a file name ending in .svg or .html (IDs masked)",
    "error.EXPORT_FORMAT": "Cannot export to {path}: only .svg (a picture) or .html (a web page) can be written; use one of these endings.",
    "error.EXPORT_IS_FOLDER": "Cannot export to {path}: it is a folder; give a file name, for example {path}/receipt.svg.",
    "error.EXPORT_FAILED": "Could not write {path} ({problem}), so the receipt was not exported; check that the folder exists and can be written to, or choose another place.",
    "receipt.exported": "Receipt exported to {path} (resident IDs masked).",
    "export.no_folder": "the folder does not exist",
    "export.no_permission": "no permission to write there",
    "export.disk_full": "the disk is full",
    "error.INTERRUPTED_AFTER_SAVES": "Interrupted. Saved earlier in this session: {saved}; the current step wrote nothing.",
    "saved.pay": "proxy payment {no} ({name}, {year})",
    "saved.revoke": "revocation of {no}",
    "saved.bind": "binding of {name}",
    "saved.verify": "face verification of {name}",
    "saved.unbind": "unbinding of {name}",
    "saved.demo": "the demo family",
    "saved.scenario": "scenario {name}",
}
